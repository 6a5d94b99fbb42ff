// The article extractor on whole news pages: the seed article laid out as its news site serves
// it, and news pages of other kinds written for these tests (their layouts follow common
// WordPress news themes and Urdu news sites; the text is ours or the seed's).
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <utility>
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
std::string_view Trim(std::string_view s) { return ingest_internal::Trim(s); }

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

// Words of a text, for comparing an extracted body with the article's own (a bag of words).
std::map<std::string, int> Bag(const std::string& text) {
  std::map<std::string, int> bag;
  std::istringstream in(text);
  for (std::string w; in >> w;) ++bag[w];
  return bag;
}

// Precision and recall of `got` against `want` by words.
std::pair<double, double> PrecisionRecall(const std::string& got, const std::string& want) {
  const auto g = Bag(got), w = Bag(want);
  int common = 0, ng = 0, nw = 0;
  for (const auto& [word, n] : g) {
    ng += n;
    if (auto it = w.find(word); it != w.end()) common += std::min(n, it->second);
  }
  for (const auto& [word, n] : w) nw += n;
  return {ng ? static_cast<double>(common) / ng : 0, nw ? static_cast<double>(common) / nw : 0};
}

// An Urdu news page whose markup names nothing (generated class names, as large news sites
// serve them): the article must be found by its text, and the "also read" list inside it, the
// topics, the most-read list and the image credit left out by their words and structure.
TEST(ArticleExtractor, UrduPageWithoutClassHints) {
  const std::vector<std::string> paras = {
      "پنجاب کے محکمہ تعلیم نے صوبے کے تمام سرکاری سکولوں میں موسم گرما کی تعطیلات کا اعلان کر دیا ہے جو یکم جون سے شروع ہو کر اکتیس جولائی تک جاری رہیں گی۔",
      "محکمے کے ترجمان کے مطابق یہ فیصلہ شدید گرمی کی پیش گوئی کے بعد والدین اور اساتذہ کی تنظیموں سے مشاورت کے بعد کیا گیا ہے۔",
      "انھوں نے بتایا کہ نجی سکولوں کو بھی انھی تاریخوں کی پابندی کرنا ہو گی اور خلاف ورزی کی صورت میں ان کے خلاف کارروائی کی جائے گی۔",
      "والدین کی ایک تنظیم کے صدر نے اس فیصلے کا خیر مقدم کیا لیکن مطالبہ کیا کہ تعطیلات کے دوران بچوں کے لیے لائبریریاں کھلی رکھی جائیں۔",
      "ماہرین تعلیم کا کہنا ہے کہ طویل تعطیلات سے بچوں کی پڑھائی متاثر ہوتی ہے، اس لیے سکولوں کو چھٹیوں کا کام سوچ سمجھ کر دینا چاہیے۔",
      "گذشتہ برس بھی گرمی کی شدید لہر کے باعث تعطیلات دو ہفتے پہلے شروع کر دی گئی تھیں اور امتحانات کی تاریخیں آگے بڑھا دی گئی تھیں۔"};
  const std::string caption = "لاہور کے ایک سرکاری سکول میں طلبہ آخری دن کلاس میں";
  std::string page = R"(<!DOCTYPE html><html lang="ur" dir="rtl"><head><meta charset="utf-8">
<title>پنجاب میں سکولوں کی گرمیوں کی چھٹیوں کا اعلان - BBC News اردو</title>
<meta property="og:title" content="پنجاب میں سکولوں کی گرمیوں کی چھٹیوں کا اعلان"><meta property="og:type" content="article">
<meta property="og:site_name" content="BBC News اردو"></head><body>
<div class="e1q9c3z80"><header class="bbc-1ff36h2"><a class="bbc-1x8qwy0" href="/urdu">BBC News, اردو - آپ کی آواز</a>
<div class="bbc-6hkyqo"><a href="#content">مواد پر جائیں</a></div>
<ul class="bbc-1wgr9j0"><li><a href="/urdu">صفحۂ اول</a></li><li><a href="/urdu/topics/pakistan">پاکستان</a></li><li><a href="/urdu/topics/world">آس پاس</a></li><li><a href="/urdu/topics/sport">کھیل</a></li><li><a href="/urdu/topics/science">سائنس</a></li><li><a href="/urdu/topics/video">ویڈیو</a></li></ul></header>
<div class="bbc-fa0wmp"><main class="bbc-1u0jbgd" role="main"><div class="bbc-1151pbn">
<h1 id="content" class="bbc-14gqcmb" tabindex="-1">پنجاب میں سکولوں کی گرمیوں کی چھٹیوں کا اعلان</h1>
<div class="bbc-19j92fr"><ul class="bbc-1sf5ioh"><li class="bbc-3bd5gd"><div>مصنف,</div><div>شمائلہ خان</div></li><li><div>عہدہ,</div><div>بی بی سی اردو، لاہور</div></li></ul></div>
<time class="bbc-1dafq0j" datetime="2024-05-20">20 مئی 2024</time>
<figure class="bbc-1qn0xuy"><div class="bbc-172p16q"><img src="school.jpg" alt="سکول"><p class="bbc-2a5ajo"><span class="bbc-m04vo2">،تصویر کا ذریعہ</span>Getty Images</p></div>
<figcaption class="bbc-1s0e7b7"><span class="bbc-m04vo2">،تصویر کا کیپشن</span>)" + caption + R"(</figcaption></figure>
<div class="bbc-4wucq3"><p class="bbc-hhl7in">)" + paras[0] + R"(</p></div>
<div class="bbc-4wucq3"><p class="bbc-hhl7in">)" + paras[1] + R"(</p></div>
<div class="bbc-4wucq3"><p class="bbc-hhl7in">)" + paras[2] + R"(</p></div>
<section class="bbc-1ps1g2r" aria-labelledby="also-read"><p id="also-read" class="bbc-1ns9t9f"><strong>یہ بھی پڑھیے</strong></p>
<ul class="bbc-1ydrnf8"><li><a href="/urdu/articles/c1">گرمی کی لہر: ڈاکٹروں کی بچوں کو دھوپ سے بچانے کی ہدایت</a></li>
<li><a href="/urdu/articles/c2">سکولوں کی فیسوں میں اضافہ، والدین پریشان</a></li><li><a href="/urdu/articles/c3">امتحانات کے نتائج کا اعلان کب ہو گا؟</a></li></ul></section>
<div class="bbc-4wucq3"><p class="bbc-hhl7in">)" + paras[3] + R"(</p></div>
<div class="bbc-4wucq3"><p class="bbc-hhl7in">)" + paras[4] + R"(</p></div>
<div class="bbc-4wucq3"><p class="bbc-hhl7in">)" + paras[5] + R"(</p></div>
<section class="bbc-1a2uc91" aria-labelledby="related-topics"><h2 id="related-topics" class="bbc-lmzz1k">متعلقہ عنوانات</h2>
<ul class="bbc-1rm0n9z"><li><a href="/urdu/topics/education">تعلیم</a></li><li><a href="/urdu/topics/punjab">پنجاب</a></li><li><a href="/urdu/topics/children">بچے</a></li></ul></section>
<section class="bbc-1bpntl3" aria-labelledby="related-content"><h2 id="related-content" class="bbc-lmzz1k">اسی بارے میں</h2>
<ul class="bbc-1bn3pkw"><li><a href="/urdu/articles/r1"><span>پاکستان میں ڈھائی کروڑ بچے سکول سے باہر کیوں ہیں؟</span></a><time>12 مارچ 2024</time></li>
<li><a href="/urdu/articles/r2"><span>سرکاری سکولوں کو نجی شعبے کے حوالے کرنے کا منصوبہ</span></a><time>3 اپریل 2024</time></li></ul></section>
</div></main>
<div class="bbc-1ajp3rb"><section class="bbc-1m5hb8r" aria-labelledby="Most-Read"><h2 id="Most-Read" class="bbc-1h6nvhu">سب سے زیادہ پڑھی جانے والی</h2>
<ol class="bbc-1ejyq5v"><li><span>1</span><a href="/urdu/articles/m1">ایران کے صدر کا ہیلی کاپٹر حادثے کا شکار، امدادی کارروائیاں جاری</a></li>
<li><span>2</span><a href="/urdu/articles/m2">سونے کی قیمت ملکی تاریخ کی بلند ترین سطح پر پہنچ گئی</a></li>
<li><span>3</span><a href="/urdu/articles/m3">کراچی میں پانی کی قلت: شہری ٹینکر مافیا کے رحم و کرم پر</a></li>
<li><span>4</span><a href="/urdu/articles/m4">قومی کرکٹ ٹیم کا ورلڈ کپ سکواڈ کا اعلان، کون اندر کون باہر؟</a></li></ol></section></div></div>
<footer class="bbc-1gh9ot4"><a href="/urdu">BBC News, اردو</a><ul><li><a href="/terms">استعمال کی شرائط</a></li><li><a href="/about">بی بی سی کے بارے میں</a></li><li><a href="/privacy">پرائیویسی پالیسی</a></li></ul>
<p>© 2024 بی بی سی. بی بی سی بیرونی ویب سائٹس کے مواد کی ذمہ دار نہیں ہے.</p></footer></div></body></html>)";
  ingest_internal::ExtractionReport report;
  Document d = ingest_internal::HtmlDocument("bbc.html", page, nullptr, nullptr, &report);
  std::string want = caption;
  for (const auto& p : paras) want += "\n" + p;
  const auto [precision, recall] = PrecisionRecall(d.body, want);
  EXPECT_GE(precision, 0.97) << d.body;
  EXPECT_GE(recall, 0.97) << d.body;
  for (const char* junk : {"گرمی کی لہر:", "سکولوں کی فیسوں", "متعلقہ عنوانات", "اسی بارے میں", "سب سے زیادہ", "سونے کی قیمت",
                           "صفحۂ اول", "استعمال کی شرائط", "Getty Images", "یہ بھی پڑھیے"})
    EXPECT_FALSE(Has(d.body, junk)) << junk << "\n" << d.body;
  EXPECT_EQ(d.title, "پنجاب میں سکولوں کی گرمیوں کی چھٹیوں کا اعلان");
  EXPECT_EQ(d.date, "2024-05-20");
}

// An English news page in the shape of a Pakistani daily's: the story with a dateline, inline
// "Read more:" links, an ad slot and a newsletter box inside it, then comments, more stories and
// a footer.
TEST(ArticleExtractor, EnglishNewsPageWithInlineBoilerplate) {
  const std::vector<std::string> paras = {
      "KARACHI: The provincial government on Sunday announced that all public schools in Sindh would close for the summer from June 1, two weeks earlier than last year, because of the heatwave forecast for the coming month.",
      "The decision was taken at a meeting chaired by the education minister, which was also attended by representatives of private school associations and parents' groups.",
      "According to a notification issued after the meeting, private schools will also be bound to observe the same schedule, and those found violating it would face action under the relevant laws.",
      "The Met Office has warned that temperatures in Karachi and the interior of the province could rise above 44 degrees Celsius during the last week of May.",
      "Teachers' representatives welcomed the decision but asked the government to ensure that the examinations scheduled for June were also rescheduled accordingly.",
      "Officials said a revised schedule for the matriculation examinations would be announced by the board later this week."};
  std::string page = R"(<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Sindh schools to close early for summer - Newspaper - Daily Example</title>
<meta property="og:title" content="Sindh schools to close early for summer"><meta property="og:type" content="article">
<meta name="author" content="Staff Reporter"><meta property="article:published_time" content="2024-05-19T07:12:41+05:00"></head>
<body><div class="container"><header class="header"><div class="logo"><a href="/">Daily Example</a></div>
<nav class="nav"><a href="/latest">Latest</a> <a href="/pakistan">Pakistan</a> <a href="/business">Business</a> <a href="/opinion">Opinion</a> <a href="/sport">Sport</a></nav></header>
<div class="flex"><main class="w-full"><article class="story" data-id="1834521">
<div class="story__header"><h2 class="story__title"><a href="/news/1834521/sindh-schools">Sindh schools to close early for summer</a></h2>
<span class="story__byline"><a href="/authors/staff">Staff Reporter</a></span> <span class="story__time">Published May 19, 2024 Updated about 2 hours ago</span></div>
<div class="story__content"><p>By <a href="/authors/ali">Ali Raza</a></p>
<p>)" + paras[0] + R"(</p><p>)" + paras[1] + R"(</p>
<p><strong>Read more: <a href="/news/1830001">Heatwave to grip Sindh from next week, Met Office warns</a></strong></p>
<p>)" + paras[2] + R"(</p>
<div class="ad-container ad-container--inline"><span>Advertisement</span><div id="div-gpt-ad-1"></div></div>
<p>)" + paras[3] + R"(</p>
<div class="newsletter-box"><h4>Get the day's top stories in your inbox</h4><form><input type="email" placeholder="Email"><button>Sign up</button></form></div>
<p>)" + paras[4] + R"(</p><p>)" + paras[5] + R"(</p>
<p><em>Published in Daily Example, May 19th, 2024</em></p></div>
<div class="story__tags"><a href="/trends/heatwave">Heatwave</a> <a href="/trends/education">Education</a></div>
</article>
<section class="comments"><h3>Comments (12)</h3><p class="comment">Good decision, the heat is unbearable. Our children were falling ill in the afternoons.</p>
<p class="comment">What about the exams? Nobody ever thinks about the students.</p></section>
<section class="more-stories"><h3>More stories</h3><ul><li><a href="/news/1">Karachi water shortage worsens as canal closes for repairs</a></li>
<li><a href="/news/2">PSX gains 600 points on budget optimism</a></li><li><a href="/news/3">Rain expected in upper parts of the country from Tuesday</a></li></ul></section>
</main><aside class="sidebar"><h3>Most popular</h3><ol><li><a href="/news/4">Govt announces new petrol prices</a></li><li><a href="/news/5">Gold price hits record high</a></li></ol></aside></div>
<footer class="footer"><p>Copyright © 2024 Daily Example. All rights reserved.</p><a href="/about">About us</a> <a href="/contact">Contact</a></footer></div></body></html>)";
  Document d = DocumentFromHtml("story.html", page);
  std::string want;
  for (const auto& p : paras) want += p + "\n";
  const auto [precision, recall] = PrecisionRecall(d.body, want);
  EXPECT_GE(precision, 0.95) << d.body;
  EXPECT_GE(recall, 0.98) << d.body;
  for (const char* junk : {"Read more", "Heatwave to grip", "Advertisement", "Get the day's top", "Sign up", "Comments (12)",
                           "unbearable", "More stories", "PSX gains", "Most popular", "Copyright", "Latest", "Staff Reporter",
                           "Updated about", "Ali Raza"})
    EXPECT_FALSE(Has(d.body, junk)) << junk << "\n" << d.body;
  EXPECT_EQ(d.title, "Sindh schools to close early for summer");
  EXPECT_EQ(d.date, "2024-05-19T07:12:41+05:00");
}

// An older Urdu site's page: a layout table, the story in one cell as text separated by
// <br><br>, a column of links beside it and a row of links under it.
TEST(ArticleExtractor, OlderUrduPageInATableWithBrParagraphs) {
  const std::vector<std::string> paras = {
      "لاہور: صوبائی حکومت نے شہر میں ٹریفک کے بڑھتے ہوئے مسائل کے حل کے لیے نئے منصوبے کی منظوری دے دی ہے جس کے تحت بڑی سڑکوں پر سگنل فری راہداری بنائی جائے گی۔",
      "وزیر ٹرانسپورٹ نے صحافیوں کو بتایا کہ منصوبے پر کام اگلے ماہ شروع ہو گا اور اسے ڈیڑھ سال میں مکمل کیا جائے گا، جس پر تقریباً بارہ ارب روپے لاگت آئے گی۔",
      "انھوں نے کہا کہ تعمیر کے دوران ٹریفک کے متبادل راستوں کا اعلان کیا جائے گا تاکہ شہریوں کو کم سے کم مشکلات کا سامنا کرنا پڑے۔",
      "شہریوں کی ایک بڑی تعداد نے منصوبے کا خیر مقدم کیا ہے تاہم بعض تاجروں کا کہنا ہے کہ تعمیراتی کام سے ان کے کاروبار متاثر ہوں گے۔"};
  std::string story;
  for (const auto& p : paras) story += p + "<br><br>\n";
  std::string links;
  for (int i = 0; i < 15; ++i) links += "<a href=\"news" + std::to_string(i) + ".htm\">خبر نمبر " + std::to_string(i) + " کا عنوان</a><br>";
  const std::string page = R"(<html dir="rtl"><head><meta charset="utf-8"><title>لاہور میں سگنل فری راہداری کا منصوبہ</title></head>
<body><table width="100%"><tr><td colspan="2"><img src="logo.gif"> <a href="index.htm">صفحہ اول</a> | <a href="pak.htm">پاکستان</a> | <a href="world.htm">عالمی خبریں</a></td></tr>
<tr><td width="25%" valign="top">)" + links + R"(</td>
<td valign="top"><font size="5"><b>لاہور میں سگنل فری راہداری کا منصوبہ</b></font><br><br>
<font size="3">)" + story + R"(</font></td></tr>
<tr><td colspan="2"><a href="about.htm">ہمارے بارے میں</a> | <a href="contact.htm">رابطہ</a> | جملہ حقوق محفوظ ہیں</td></tr></table></body></html>)";
  Document d = DocumentFromHtml("old.htm", page);
  std::string want;
  for (const auto& p : paras) want += p + "\n";
  const auto [precision, recall] = PrecisionRecall(d.body, want);
  EXPECT_GE(recall, 0.98) << d.body;
  EXPECT_GE(precision, 0.9) << d.body;
  for (const char* junk : {"خبر نمبر", "صفحہ اول", "جملہ حقوق", "ہمارے بارے میں"}) EXPECT_FALSE(Has(d.body, junk)) << junk << "\n" << d.body;
  // Each paragraph on its own line.
  for (const auto& p : paras) EXPECT_TRUE(Has("\n" + d.body + "\n", "\n" + p + "\n")) << p;
}

// A page that draws its article by script: the HTML holds a shell, the JSON-LD the text.
TEST(ArticleExtractor, ArticleBodyOfJsonLdWhenThePageDrawsItByScript) {
  std::string text;
  for (int i = 0; i < 8; ++i) text += "The council approved the new water scheme for the district on Monday, officials said. ";
  const std::string page = R"(<html lang="en"><head><title>Water scheme approved</title><script type="application/ld+json">
{"@context":"https://schema.org","@type":"NewsArticle","headline":"Water scheme approved","articleBody":")" + text + R"("}</script></head>
<body><div id="root"><nav><a href="/">Home</a></nav><p>Loading…</p></div><script src="/app.js"></script></body></html>)";
  Document d = DocumentFromHtml("app.html", page);
  EXPECT_EQ(d.body, std::string(Trim(text)));
  // A page whose own text is longer keeps its own.
  std::string own;
  for (int i = 0; i < 8; ++i) own += "<p>The council approved the new water scheme for the district on Monday, officials said, after a long debate.</p>";
  const std::string both = R"(<html lang="en"><head><script type="application/ld+json">{"@context":"https://schema.org",
"@type":"NewsArticle","articleBody":"A short summary of the story that is only a few words long but over the threshold of five hundred characters? no."}</script></head><body>)" + own + "</body></html>";
  EXPECT_TRUE(Has(DocumentFromHtml("b.html", both).body, "after a long debate"));
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
