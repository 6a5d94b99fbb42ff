// Boilerplate phrases: the words with which news pages in Urdu, English and Arabic open the
// blocks that are not the article: "also read" lists («یہ بھی پڑھیں», «مزید پڑھیں», "Read
// more:"), comment forms («جواب چھوڑیں», "Leave a reply"), share bars, newsletter boxes and tag
// lists. Matched at the start of a block's text, ignoring case (ASCII), spaces and a trailing
// colon or dash.
// Thread-safety: pure functions.
#pragma once

#include <string_view>

namespace rasai::ingest_internal {

enum class PhraseKind {
  kNone,
  kAlsoRead,    // a list of links to other articles follows or is inline
  kComments,    // a comment section or form starts here
  kShare,       // share or follow buttons
  kNewsletter,  // subscription box
  kTags,        // tags / topics list
  kAdvert,      // "Advertisement"
  kByline,      // "By Staff Reporter", «رپورٹ: …», «تحریر: …» (only short lines are bylines)
  kCredit,      // an image credit or a screen reader's label: "Image source, Getty Images",
                //   «تصویر کا ذریعہ», «تصویر کا کیپشن»
};

// What the text (a block's whole text) opens with; kNone for ordinary text.
PhraseKind BoilerplateOpening(std::string_view text);
// Words naming the kind, for explanations ("'also read' block").
std::string_view PhraseKindName(PhraseKind kind);

}  // namespace rasai::ingest_internal
