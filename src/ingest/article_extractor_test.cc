// The article extractor on whole news pages: the seed article laid out as its news site serves
// it, and news pages of other kinds written for these tests (their layouts follow common
// WordPress news themes and Urdu news sites; the text is ours or the seed's).
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "ingest/article_extractor.h"
#include "ingest/extraction_report.h"
#include "ingest/html_parse.h"
#include "ingest/ingest_internal.h"
#include "rasai/ingest.h"
#include "test_util.h"
#include "util/utf8.h"

namespace rasai {
namespace {

bool Has(const std::string& body, const std::string& part) { return body.find(part) != std::string::npos; }

// The seed article (../shared/data/seed): headline, standfirst, view count, photo caption, body
// paragraphs, an "also read" title with two linked headlines, more body, and the comment form's
// words, one block per paragraph.
struct Seed {
  std::string headline, standfirst, views, caption;
  std::vector<std::string> body_before, related, body_after, comment_words;
};

bool ReadSeed(Seed* s) {
  const std::string path = testing::SharedData() + "/seed/information-access-center-article.ur.txt";
  if (!std::filesystem::exists(path)) return false;
  std::vector<std::string> blocks;
  std::istringstream in(testing::ReadFile(path));
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line != "\r") blocks.push_back(line);
  if (blocks.size() < 12) return false;
  size_t i = 0;
  s->headline = blocks[i++];
  s->standfirst = blocks[i++];
  s->views = blocks[i++];
  s->caption = blocks[i++];
  for (; i < blocks.size() && blocks[i].find("یہ بھی پڑھیے") == std::string::npos; ++i) s->body_before.push_back(blocks[i]);
  ++i;  // the "also read" title
  for (; i < blocks.size() && blocks[i].size() < 200; ++i) s->related.push_back(blocks[i]);
  for (; i < blocks.size() && blocks[i].find("جواب چھوڑیں") == std::string::npos; ++i) s->body_after.push_back(blocks[i]);
  for (; i < blocks.size(); ++i) s->comment_words.push_back(blocks[i]);
  return !s->body_before.empty() && s->related.size() == 2 && !s->body_after.empty() && s->comment_words.size() == 3;
}

std::string Paragraphs(const std::vector<std::string>& ps) {
  std::string out;
  for (const auto& p : ps) out += "<p>" + p + "</p>\n";
  return out;
}

// The seed article as an Urdu news site on a common WordPress news theme serves it.
std::string SeedPage(const Seed& s) {
  std::string related;
  for (const auto& r : s.related) related += "<p><a href=\"https://example.pk/news/" + std::to_string(related.size()) + "/\">" + r + "</a></p>\n";
  return R"(<!DOCTYPE html>
<html lang="ur" dir="rtl"><head><meta charset="UTF-8">
<title>)" + s.headline + R"( - روزنامہ مثال</title>
<meta property="og:type" content="article">
<meta property="og:title" content=")" + s.headline + R"(">
<meta property="og:site_name" content="روزنامہ مثال">
<meta property="article:published_time" content="2021-04-27T09:30:12+05:00">
<meta name="author" content="ویب ڈیسک">
<link rel="canonical" href="https://example.pk/2021/04/27/korea-information-access-center/">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":")" +
         s.headline + R"(","datePublished":"2021-04-27T09:30:12+05:00","author":{"@type":"Person","name":"ویب ڈیسک"}}</script>
<style>.td-header-wrap{background:#fff}</style>
</head>
<body class="post-template-default single single-post td-standard-pack">
<div class="td-scroll-up"><i class="td-icon-menu-up"></i></div>
<div id="td-outer-wrap" class="td-theme-wrap">
 <div class="td-header-wrap td-header-style-1">
  <div class="td-header-top-menu-full td-container-wrap">
   <div class="top-header-menu-wrap"><ul id="menu-top" class="top-header-menu">
    <li><a href="/about/">ہمارے بارے میں</a></li><li><a href="/contact/">رابطہ</a></li><li><a href="/advertise/">اشتہارات</a></li></ul></div>
   <div class="td-header-sp-top-widget"><span class="td_data_time">منگل، 27 اپریل 2021</span>
    <a class="td-login-modal-js" href="#login-form">لاگ ان / رجسٹر</a></div>
  </div>
  <div class="td-header-menu-wrap-full"><div class="td-header-main-menu"><div id="td-header-menu" role="navigation">
   <ul id="menu-main" class="sf-menu"><li><a href="/">صفحہ اول</a></li><li><a href="/pakistan/">پاکستان</a></li>
   <li><a href="/world/">دنیا</a></li><li><a href="/business/">کاروبار</a></li><li><a href="/sports/">کھیل</a></li>
   <li><a href="/science/">سائنس و ٹیکنالوجی</a></li><li><a href="/entertainment/">شوبز</a></li><li><a href="/video/">ویڈیو</a></li></ul>
  </div></div></div>
  <div class="td-banner-wrap-full"><div class="td-header-ad-wrap"><a href="/ads/1"><img src="/ad-728x90.jpg" alt="اشتہار"></a></div></div>
 </div>
 <div class="td-main-content-wrap td-container-wrap"><div class="td-container td-post-template-default">
  <div class="td-crumb-container"><div class="entry-crumbs"><span><a href="/">صفحہ اول</a></span> <i class="td-bread-sep"></i>
   <span><a href="/science/">سائنس و ٹیکنالوجی</a></span></div></div>
  <div class="td-pb-row">
   <div class="td-pb-span8 td-main-content" role="main"><div class="td-ss-main-content">
    <article id="post-819402" class="post-819402 post type-post status-publish format-standard has-post-thumbnail category-science">
     <div class="td-post-header">
      <ul class="td-category"><li class="entry-category"><a href="/science/">سائنس و ٹیکنالوجی</a></li></ul>
      <header class="td-post-title">
       <h1 class="entry-title">)" + s.headline + R"(</h1>
       <p class="td-post-sub-title">)" + s.standfirst + R"(</p>
       <div class="td-module-meta-info">
        <div class="td-post-author-name"><div class="td-author-by">By</div> <a href="/author/web-desk/">ویب ڈیسک</a><div class="td-author-line"> - </div></div>
        <span class="td-post-date"><time class="entry-date updated td-module-date" datetime="2021-04-27T09:30:12+05:00">27 اپریل 2021</time></span>
        <div class="td-post-views"><i class="td-icon-views"></i><span class="td-nb-views-819402">)" + s.views + R"(</span></div>
       </div>
      </header>
     </div>
     <div class="td-post-sharing-top"><div class="td-post-sharing-classic"><div class="td-default-sharing">
      <a class="td-social-sharing-buttons td-social-facebook" href="https://www.facebook.com/sharer.php?u=x"><span>Facebook</span></a>
      <a class="td-social-sharing-buttons td-social-twitter" href="https://twitter.com/intent/tweet?text=x"><span>Twitter</span></a>
      <a class="td-social-sharing-buttons td-social-whatsapp" href="whatsapp://send?text=x"><span>WhatsApp</span></a></div></div></div>
     <div class="td-post-content tagdiv-type">
      <div class="td-post-featured-image"><figure><a href="/wp-content/uploads/2021/04/korea.jpg" data-caption=")" + s.caption + R"(">
       <img width="696" height="392" class="entry-thumb" src="/wp-content/uploads/2021/04/korea-696x392.jpg" alt="" title="korea"></a>
       <figcaption class="wp-caption-text">)" + s.caption + R"(</figcaption></figure></div>
)" + Paragraphs(s.body_before) + R"(<p><strong>یہ بھی پڑھیے:</strong></p>
)" + related + Paragraphs(s.body_after) + R"(     </div>
     <footer>
      <div class="td-post-source-tags"><ul class="td-tags td-post-small-box clearfix"><li><span>TAGS</span></li>
       <li><a href="/tag/south-korea/">جنوبی کوریا</a></li><li><a href="/tag/it/">آئی ٹی</a></li><li><a href="/tag/amin-ul-haq/">سید امین الحق</a></li></ul></div>
      <div class="td-post-sharing-bottom"><div class="td-post-sharing-classic">
       <a class="td-social-sharing-button td-social-facebook" href="#"><span>Facebook</span></a>
       <a class="td-social-sharing-button td-social-twitter" href="#"><span>Twitter</span></a></div></div>
      <div class="td-block-row td-post-next-prev">
       <div class="td-block-span6 td-post-prev-post"><div class="td-post-next-prev-content"><span>پچھلا مضمون</span><a href="/prev/">سٹاک مارکیٹ میں تیزی، انڈیکس میں 400 پوائنٹس کا اضافہ</a></div></div>
       <div class="td-block-span6 td-post-next-post"><div class="td-post-next-prev-content"><span>اگلا مضمون</span><a href="/next/">ملک میں کورونا کے مزید 5 ہزار کیسز رپورٹ</a></div></div></div>
      <div class="author-box-wrap"><a href="/author/web-desk/"><img alt="" src="/avatar.jpg"></a><div class="desc"><div class="td-author-name vcard author"><span class="fn"><a href="/author/web-desk/">ویب ڈیسک</a></span></div></div></div>
     </footer>
    </article>
    <div class="td_block_wrap td_block_related_posts td-pb-border-top"><h4 class="td-related-title td-block-title"><a class="td-related-left td-cur-simple-item" href="#">متعلقہ مضامین</a><a class="td-related-right" href="#">مزید از مصنف</a></h4>
     <div class="td_block_inner"><div class="td-related-row">
      <div class="td-related-span4"><div class="td_module_related_posts td-animation-stack td_mod_related_posts"><h3 class="entry-title td-module-title"><a href="/r1/">وزیراعظم کا ڈیجیٹل پاکستان پروگرام کا جائزہ</a></h3></div></div>
      <div class="td-related-span4"><div class="td_module_related_posts td-animation-stack td_mod_related_posts"><h3 class="entry-title td-module-title"><a href="/r2/">فائیو جی ٹیکنالوجی کی آزمائش کامیاب</a></h3></div></div>
      <div class="td-related-span4"><div class="td_module_related_posts td-animation-stack td_mod_related_posts"><h3 class="entry-title td-module-title"><a href="/r3/">ٹیلی کام کمپنیوں کے لیے نئی پالیسی منظور</a></h3></div></div>
     </div></div></div>
    <div class="comments" id="comments"><div id="respond" class="comment-respond">
     <h3 id="reply-title" class="comment-reply-title">)" + s.comment_words[0] + R"( <small><a rel="nofollow" id="cancel-comment-reply-link" href="#respond" style="display:none;">Cancel reply</a></small></h3>
     <form action="/wp-comments-post.php" method="post" id="commentform" class="comment-form">
      <div class="clearfix"></div>
      <div class="comment-form-input-wrap td-form-comment"><textarea placeholder="تبصرہ:" id="comment" name="comment" cols="45" rows="8" aria-required="true"></textarea>
       <div class="td-warning-comment">)" + s.comment_words[1] + R"(</div></div>
      <div class="comment-form-input-wrap td-form-author"><input class="" id="author" name="author" placeholder="Name:*" type="text" value="" size="30" aria-required="true">
       <div class="td-warning-author">)" + s.comment_words[2] + R"(</div></div>
      <p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" value="تبصرہ بھیجیں"></p>
     </form></div></div>
   </div></div>
   <div class="td-pb-span4 td-main-sidebar" role="complementary"><div class="td-ss-main-sidebar">
    <aside class="widget widget_text"><div class="block-title"><span>تازہ ترین</span></div>
     <ul><li><a href="/l1/">پنجاب میں پولیو مہم کا آغاز، 2 کروڑ بچوں کو قطرے پلائے جائیں گے</a></li>
     <li><a href="/l2/">کراچی میں بارش کے بعد نظام زندگی مفلوج، کئی علاقوں میں بجلی غائب</a></li>
     <li><a href="/l3/">قومی اسمبلی کا اجلاس کل طلب، اہم قانون سازی متوقع</a></li></ul></aside>
    <aside class="widget"><div class="td-a-rec td-a-rec-id-sidebar"><a href="/ads/2"><img src="/ad-300x250.jpg" alt=""></a></div></aside>
   </div></div>
  </div>
 </div></div>
 <div class="td-footer-wrapper td-container-wrap"><div class="td-container"><div class="td-pb-row">
  <div class="td-pb-span12"><div class="footer-text-wrap">روزنامہ مثال: پاکستان اور دنیا بھر کی تازہ ترین خبریں، تجزیے اور کالم۔ ہم سے رابطہ کریں: info@example.pk</div>
  <div class="footer-social-wrap td-social-style-2"><a href="https://facebook.com/x">Facebook</a> <a href="https://twitter.com/x">Twitter</a> <a href="https://youtube.com/x">Youtube</a></div></div></div></div></div>
 <div class="td-sub-footer-container td-container-wrap"><div class="td-container"><div class="td-sub-footer-copy">© جملہ حقوق محفوظ ہیں، روزنامہ مثال 2021</div>
  <div class="td-sub-footer-menu"><ul class="td-subfooter-menu"><li><a href="/privacy/">پرائیویسی پالیسی</a></li><li><a href="/terms/">شرائط و ضوابط</a></li></ul></div></div></div>
</div>
<script>window.tdwGlobal = {"adminUrl":"/wp-admin/"};</script>
</body></html>)";
}

TEST(ArticleExtractor, SeedPageAsItsNewsSiteServesIt) {
  RASAI_REQUIRE_SHARED_DATA();
  Seed s;
  if (!ReadSeed(&s)) GTEST_SKIP() << "the seed article is absent or not laid out as expected";
  const std::string page = SeedPage(s);
  ingest_internal::ExtractionReport report;
  Document d = ingest_internal::HtmlDocument("seed.html", page, nullptr, nullptr, &report);
  std::string removed;
  for (const auto& r : report.removed) {
    removed += r.element + " (" + r.reason + "): " + r.text + "\n";
    // The start of a block's text is cut between characters (the fuzz target found a cut
    // inside one).
    EXPECT_TRUE(IsValidUtf8(r.text)) << r.element;
  }
  SCOPED_TRACE("container " + report.container + "\nbody:\n" + d.body + "\nremoved:\n" + removed);
  // The headline, the caption and the body.
  EXPECT_EQ(d.title, s.headline);
  EXPECT_TRUE(Has(d.body, s.caption));
  for (const auto& p : s.body_before) EXPECT_TRUE(Has(d.body, p)) << p;
  for (const auto& p : s.body_after) EXPECT_TRUE(Has(d.body, p)) << p;
  // None of the rest: "also read" and its links, the comment form, tags, menus, views, sidebar,
  // related posts, next/previous links, sharing and the footer.
  for (const auto& r : s.related) EXPECT_FALSE(Has(d.body, r)) << r;
  EXPECT_FALSE(Has(d.body, "یہ بھی پڑھیے"));
  for (const auto& w : s.comment_words) EXPECT_FALSE(Has(d.body, w)) << w;
  for (const char* junk : {"صفحہ اول", "ہمارے بارے میں", "شوبز", "لاگ ان", "جنوبی کوریا</a>", "TAGS", "سید امین الحق\n",
                           "Facebook", "WhatsApp", "پچھلا مضمون", "اگلا مضمون", "متعلقہ مضامین", "فائیو جی",
                           "پولیو مہم", "جملہ حقوق", "پرائیویسی", "تبصرہ بھیجیں", "ویب ڈیسک"})
    EXPECT_FALSE(Has(d.body, junk)) << junk;
  // The view count is no line of the body.
  EXPECT_FALSE(Has("\n" + d.body + "\n", "\n" + s.views + "\n"));
  // The body is the article: nothing before the caption but the standfirst.
  EXPECT_TRUE(d.body.starts_with(s.caption) || d.body.starts_with(s.standfirst)) << d.body.substr(0, 200);
  EXPECT_TRUE(d.body.ends_with(s.body_after.back()));
  // Metadata as document fields.
  EXPECT_EQ(d.date, "2021-04-27T09:30:12+05:00");
  EXPECT_EQ(d.url, "https://example.pk/2021/04/27/korea-information-access-center/");
  EXPECT_EQ(d.lang, "ur");
  std::string extra;
  for (const auto& [k, v] : d.extra) extra += k + "=" + v + ";";
  EXPECT_EQ(extra, "author=\"ویب ڈیسک\";site_name=\"روزنامہ مثال\";dir=\"rtl\";");
}

// The article's first and last lines that are no prose (a view counter, a credit, a lone label)
// are not the article; a heading, a caption or a short sentence is.
TEST(ArticleExtractor, ShortLinesWithoutProseAtTheEdgesGo) {
  std::string body;
  for (int i = 0; i < 6; ++i)
    body += "<p>کراچی میں مسلسل بارش کے بعد شہر کی کئی سڑکیں پانی میں ڈوب گئیں اور شہریوں کو شدید مشکلات کا سامنا کرنا پڑا۔</p>";
  const std::string page = "<html lang=ur><body><div class=story><p>1,204</p><p>ایجنسیاں</p><h2>بارش کا نیا سلسلہ</h2>" + body +
                           "<p>وہ کل واپس آئیں گے۔</p><p>فوٹو: اے ایف پی</p></div></body></html>";
  Document d = DocumentFromHtml("rain.html", page);
  EXPECT_TRUE(d.body.starts_with("بارش کا نیا سلسلہ\n")) << d.body;
  EXPECT_TRUE(d.body.ends_with("\nوہ کل واپس آئیں گے۔")) << d.body;
  // On a page in a language without a stopword list, nothing is judged so.
  const std::string french = "<html lang=fr><body><div class=story><p>1,204</p>" +
                             std::string(6, ' ') + "<p>La pluie continue à Karachi depuis six jours, les rues sont inondées.</p>"
                             "<p>La pluie continue à Karachi depuis six jours, les rues sont inondées.</p></div></body></html>";
  EXPECT_TRUE(DocumentFromHtml("fr.html", french).body.starts_with("1,204\n")) << DocumentFromHtml("fr.html", french).body;
}

}  // namespace
}  // namespace rasai
