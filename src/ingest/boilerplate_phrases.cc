// Boilerplate phrases (contract in boilerplate_phrases.h).
#include "ingest/boilerplate_phrases.h"

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "rasai/analysis.h"
#include "util/text.h"

namespace rasai::ingest_internal {
namespace {

struct PhraseList {
  PhraseKind kind;
  std::initializer_list<std::string_view> phrases;
};

// Urdu phrases are written with Urdu letters; the text is normalized (Arabic-keyboard letters
// folded towards them) before matching.
const PhraseList kLists[] = {
    {PhraseKind::kAlsoRead,
     {"یہ بھی پڑھیں", "یہ بھی پڑھیے", "یہ بھی پڑھئے", "یہ بھی پڑھیئے", "یہ بھی دیکھیں", "یہ بھی دیکھیے", "مزید پڑھیں",
      "مزید پڑھیے", "مزید پڑھئے", "اسے بھی پڑھیں", "اسے بھی پڑھیے", "ضرور پڑھیں", "متعلقہ خبریں", "متعلقہ مضامین",
      "مزید خبریں", "اقرأ أيضا", "اقرأ أيضاً", "إقرأ أيضا", "إقرأ أيضاً", "اقرأ ايضا", "اقرأ كذلك", "اقرأ المزيد",
      "مواضيع ذات صلة", "أخبار ذات صلة", "أخبار متعلقة", "also read", "read also", "read more", "more reading",
      "related", "related articles", "related stories", "related news", "related posts", "related content",
      "related coverage", "more from", "more on this", "more stories", "you may also like", "you might also like",
      "you may like", "recommended", "recommended for you", "don't miss", "dont miss", "most read", "most popular",
      "trending", "latest news", "top stories", "what to read next", "read next", "up next", "اسی بارے میں",
      "اس بارے میں مزید", "مزید اس بارے میں", "سب سے زیادہ پڑھی جانے والی", "سب سے زیادہ پڑھی گئی", "مقبول خبریں",
      "الأكثر قراءة", "more on this story", "related topics"}},
    {PhraseKind::kComments,
     {"جواب چھوڑیں", "جواب چھوڑ دیں", "تبصرہ کریں", "اپنا تبصرہ", "اپنی رائے کا اظہار", "تبصرے", "اترك تعليقا",
      "اترك تعليقاً", "أضف تعليق", "أضف تعليقا", "التعليقات", "leave a reply", "leave a comment", "post a comment",
      "add a comment", "add comment", "comments", "please enter your comment", "your email address will not be published",
      "join the discussion", "join the conversation", "view comments", "show comments"}},
    {PhraseKind::kShare,
     {"شیئر کریں", "شیئر", "شئیر", "ہمیں فالو کریں", "شارك", "share this", "share on", "share", "follow us",
      "tweet", "email this"}},
    {PhraseKind::kNewsletter,
     {"نیوز لیٹر", "sign up for", "sign up to", "subscribe to", "subscribe", "get our newsletter", "newsletter",
      "اشترك", "get the latest"}},
    {PhraseKind::kTags,
     {"ٹیگز", "ٹیگ", "متعلقہ عنوانات", "عنوانات", "tags", "tagged", "topics", "filed under", "الوسوم",
      "كلمات مفتاحية", "مواضيع"}},
    {PhraseKind::kAdvert, {"اشتہار", "إعلان", "advertisement", "sponsored", "ad"}},
    {PhraseKind::kByline,
     {"by", "written by", "words by", "story by", "رپورٹ", "رپورٹر", "تحریر", "تحریر و تحقیق", "نامہ نگار", "بقلم", "مصنف",
      "كتب", "بقلم"}},
    {PhraseKind::kCredit,
     {"تصویر کا ذریعہ", "ویڈیو کا ذریعہ", "تصویر کا کیپشن", "ویڈیو کیپشن", "image source", "image copyright",
      "image caption", "photo credit", "picture credit", "مصدر الصورة", "صورة:"}},
};

// True when `w` ends at a word boundary of `s` at `at`: the end, a space or punctuation.
bool BoundaryAt(std::string_view s, size_t at) {
  if (at >= s.size()) return true;
  const auto c = static_cast<unsigned char>(s[at]);
  if (c < 0x80) return !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'));
  // ، ۔ : « » – — and spaces are boundaries; letters are not.
  const std::string_view rest = s.substr(at);
  for (std::string_view p : {"\xD8\x8C", "\xDB\x94", "\xC2\xAB", "\xC2\xBB", "\xE2\x80\x93", "\xE2\x80\x94",
                             "\xC2\xA0", "\xE2\x80\xA6", "\xEF\xBC\x9A"})
    if (rest.starts_with(p)) return true;
  return false;
}

std::string Normalized(std::string_view s) { return LowerAscii(IsAscii(s) ? std::string(s) : NormalizeText(s)); }

// The phrases normalized as the text is, longest first within each kind.
const std::vector<std::pair<PhraseKind, std::string>>& Phrases() {
  static const auto* phrases = [] {
    auto* out = new std::vector<std::pair<PhraseKind, std::string>>;
    for (const PhraseList& list : kLists)
      for (std::string_view p : list.phrases) out->emplace_back(list.kind, Normalized(p));
    return out;
  }();
  return *phrases;
}

}  // namespace

PhraseKind BoilerplateOpening(std::string_view text) {
  // Only the opening matters: normalize its first few words.
  size_t b = 0;
  while (b < text.size()) {
    if (text[b] == ' ' || text[b] == '\n' || text[b] == '\t' || text[b] == '|' || text[b] == '>' || text[b] == '-' ||
        text[b] == '*' || text[b] == ',') {
      ++b;
    } else if (text.substr(b).starts_with("\xD8\x8C")) {  // ، (screen readers' labels open with it)
      b += 2;
    } else {
      break;
    }
  }
  std::string_view head = text.substr(b, 120);
  const std::string norm = Normalized(head);
  for (const auto& [kind, phrase] : Phrases()) {
    if (!norm.starts_with(phrase)) continue;
    // A word boundary follows, or a change of script (labels glued to what they label:
    // «تصویر کا ذریعہ»Getty Images).
    const bool script_change = phrase.size() < norm.size() &&
                               (static_cast<unsigned char>(phrase.back()) >= 0x80) !=
                                   (static_cast<unsigned char>(norm[phrase.size()]) >= 0x80);
    if (script_change || BoundaryAt(norm, phrase.size())) return kind;
  }
  return PhraseKind::kNone;
}

std::string_view PhraseKindName(PhraseKind kind) {
  switch (kind) {
    case PhraseKind::kAlsoRead: return "'also read' block";
    case PhraseKind::kComments: return "comments";
    case PhraseKind::kShare: return "share bar";
    case PhraseKind::kNewsletter: return "newsletter box";
    case PhraseKind::kTags: return "tag list";
    case PhraseKind::kAdvert: return "advertisement";
    case PhraseKind::kCredit: return "image credit or label";
    case PhraseKind::kByline: return "byline";
    case PhraseKind::kNone: break;
  }
  return "";
}

}  // namespace rasai::ingest_internal
