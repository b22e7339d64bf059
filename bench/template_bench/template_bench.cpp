// template_bench: renders a realistic article page (about 50 KB of HTML) with
// Masthead's compiled Mustache engine and, when built with MSTCH_ROOT, with
// Debian's mstch 1.0.2, so the architecture's "measure libmstch-dev first"
// has a number behind it.
//
// The page: <head> with meta/Open Graph tags, JSON-LD and inline critical CSS;
// a header with an SVG logo and a menu of 6 sections; the article (headline,
// byline, dates, hero picture, a 6 KB pre-rendered HTML body passed unescaped,
// share buttons with inline SVG icons, tags); 5 related articles; a newsletter
// promo; a footer with link columns. Five partials, dotted names, sections
// over arrays and objects, inverted sections, escaped and unescaped values.
//
// Before timing, both engines render the page once and the outputs are
// compared (mstch also escapes '/' as &#x2F;, which is normalised away), so the
// two benchmarks measure the same work.
//
// Benchmarks:
//   BM_MastheadRender       TemplateSet::render(): fresh std::string per page
//   BM_MastheadRenderReuse  render_to() into a cleared, reused buffer
//   BM_MastheadCompile      add() + compile() of the five templates (startup)
//   BM_MstchRender          mstch::render(template, node, partials): mstch has
//                           no compiled form, so every call parses all five
//   BM_MstchRenderWithData  the same plus converting the JSON page data to
//                           mstch::node, as a handler holding JSON would
//
// `template_bench --dump` writes the page to stdout instead.
#include <cstdio>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>
#include <boost/json.hpp>

#include "render/template_set.h"

#ifdef MASTHEAD_BENCH_MSTCH
#include <mstch/mstch.hpp>
#endif

namespace {

using Partials = std::vector<std::pair<std::string, std::string>>;

// ---- the templates -----------------------------------------------------------

// Deterministic filler that looks like what it replaces (CSS rules, SVG paths),
// so literal text has realistic size and byte mix.
std::string critical_css() {
  static const char* const kProps[] = {
      "margin:0 auto;max-width:72rem;padding:0 1rem",
      "font:400 1.125rem/1.6 Georgia,'Times New Roman',serif;color:#1a1a1a",
      "display:flex;align-items:center;justify-content:space-between;gap:.75rem",
      "border-bottom:1px solid #d9d4cc;background:#fbf8f3",
      "font:700 2.5rem/1.15 'Publico Headline',Georgia,serif;letter-spacing:-.01em",
      "text-decoration:none;color:inherit;border-bottom:1px solid rgba(0,0,0,.2)",
      "grid-template-columns:repeat(auto-fill,minmax(18rem,1fr));display:grid;gap:1.5rem",
      "position:absolute;left:-9999px;top:auto;width:1px;height:1px;overflow:hidden",
  };
  static const char* const kNames[] = {"site-header", "nav",    "article", "headline", "byline",
                                       "hero",        "body",   "share",   "related",  "card",
                                       "newsletter",  "footer", "tags",    "kicker",   "skip"};
  std::string css;
  int n = 0;
  // Light rules, then the same selectors again for dark mode.
  for (const char* media : {"", "@media (prefers-color-scheme:dark){\n"}) {
    css += media;
    for (const char* name : kNames) {
      for (const char* suffix :
           {"", "__inner", "__title", "__meta", "__link", "--wide", "--dark", ":hover"}) {
        css += '.';
        css += name;
        css += suffix;
        css += '{';
        css += kProps[n++ % 8];
        css += "}\n";
      }
    }
    if (*media != '\0') css += "}\n";
  }
  css += "@media (min-width:48rem){.article{display:grid;grid-template-columns:1fr 18rem}}\n";
  return css;
}

std::string svg_path(int seed, int points) {
  std::string d = "M";
  unsigned x = static_cast<unsigned>(seed) * 2654435761u;
  for (int i = 0; i < points; ++i) {
    x = x * 1103515245u + 12345u;
    d += std::to_string((x >> 8) % 240) + '.' + std::to_string((x >> 4) % 10) + ',' +
         std::to_string((x >> 16) % 48) + '.' + std::to_string((x >> 12) % 10);
    d += i % 6 == 5 ? "C" : " ";
  }
  return d + "Z";
}

std::string svg_icon(int seed, int points) {
  return "<svg viewBox=\"0 0 24 24\" width=\"20\" height=\"20\" aria-hidden=\"true\" "
         "focusable=\"false\"><path fill=\"currentColor\" d=\"" +
         svg_path(seed, points) + "\"/></svg>";
}

Partials page_templates() {
  Partials t;
  t.emplace_back("critical_css", critical_css());
  t.emplace_back("header", R"(<header class="site-header">
<div class="site-header__inner">
<a class="site-header__logo" href="{{site.url}}" aria-label="{{site.name}}">
<svg viewBox="0 0 240 48" width="240" height="48" role="img"><title>{{site.name}}</title><path d=")" +
                               svg_path(1, 140) + R"("/></svg>
</a>
<form class="search" action="{{site.url}}search" role="search">
<label for="q" class="skip">{{labels.search}}</label>
<input id="q" name="q" type="search" placeholder="{{labels.search_placeholder}}">
<button type="submit">)" + svg_icon(2, 24) +
                               R"(<span class="skip">{{labels.search}}</span></button>
</form>
{{#reader.signed_in}}
<a class="account" href="{{site.url}}account">{{reader.name}}</a>
{{/reader.signed_in}}
{{^reader.signed_in}}
<a class="account" href="{{site.url}}login">Sign in</a> <a class="subscribe" href="{{site.url}}subscribe">Subscribe</a>
{{/reader.signed_in}}
</div>
<nav class="nav" aria-label="{{labels.menu}}">
<ul class="nav__inner">
{{#menu}}
<li class="nav__item{{#current}} nav__item--current{{/current}}"><a href="{{url}}"{{#current}} aria-current="page"{{/current}}>{{name}}</a>
<ul class="nav__sub">
{{#subsections}}
<li><a href="{{url}}">{{name}}</a></li>
{{/subsections}}
</ul>
</li>
{{/menu}}
</ul>
</nav>
</header>
)");
  std::string share = R"(<div class="share" aria-label="{{labels.share}}">
<h2 class="skip">{{labels.share}}</h2>
<ul>
)";
  const char* const kNetworks[][3] = {
      {"facebook", "https://www.facebook.com/sharer/sharer.php?u=", "labels.share_facebook"},
      {"linkedin", "https://www.linkedin.com/sharing/share-offsite/?url=", "labels.share_linkedin"},
      {"x", "https://x.com/intent/post?url=", "labels.share_x"},
      {"mail", "mailto:?subject={{article.headline_url}}&amp;body=", "labels.share_mail"}};
  int seed = 10;
  for (const auto& n : kNetworks) {
    share += std::string("<li><a class=\"share__") + n[0] + "\" href=\"" + n[1] +
             "{{article.url_encoded}}\" rel=\"noopener\" target=\"_blank\">" +
             svg_icon(seed++, 36) + "<span class=\"skip\">{{" + n[2] + "}}</span></a></li>\n";
  }
  share += "<li><button class=\"share__print\" type=\"button\">" + svg_icon(seed, 30) +
           "{{labels.print}}</button></li>\n</ul>\n</div>\n";
  t.emplace_back("share", share);
  t.emplace_back("newsletter", R"(<section class="newsletter">
<p>{{labels.newsletter}}</p>
<form action="{{site.url}}newsletter" method="post">
<input type="hidden" name="csrf" value="{{csrf_token}}">
<label for="email" class="skip">Email</label>
<input id="email" name="email" type="email" autocomplete="email" required>
<button type="submit">Sign up</button>
</form>
</section>
)");
  t.emplace_back("footer", R"(<footer class="footer">
<div class="footer__inner">
{{#footer.columns}}
<section class="footer__column">
<h2>{{title}}</h2>
<ul>
{{#links}}
<li><a href="{{url}}">{{text}}</a></li>
{{/links}}
</ul>
</section>
{{/footer.columns}}
</div>
<ul class="footer__social">
<li><a href="https://www.facebook.com/meridianledger">)" +
                               svg_icon(20, 36) + R"(</a></li>
<li><a href="https://www.linkedin.com/company/meridianledger">)" +
                               svg_icon(21, 36) + R"(</a></li>
<li><a href="https://x.com/meridianledger">)" +
                               svg_icon(22, 36) + R"(</a></li>
</ul>
<p class="footer__legal"><a href="{{site.url}}sponsored">{{labels.about_sponsored}}</a> {{labels.rights}}</p>
</footer>
)");
  t.emplace_back("article", R"(<!DOCTYPE html>
<html lang="{{site.lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{article.headline}} | {{site.name}}</title>
<meta name="description" content="{{article.standfirst}}">
<link rel="canonical" href="{{article.url}}">
<meta property="og:type" content="article">
<meta property="og:site_name" content="{{site.name}}">
<meta property="og:title" content="{{article.headline}}">
<meta property="og:description" content="{{article.standfirst}}">
<meta property="og:url" content="{{article.url}}">
<meta property="og:image" content="{{article.hero.src}}">
<meta property="article:published_time" content="{{article.published_iso}}">
{{#article.updated_iso}}
<meta property="article:modified_time" content="{{.}}">
{{/article.updated_iso}}
{{#article.tags}}
<meta property="article:tag" content="{{name}}">
{{/article.tags}}
<meta name="twitter:card" content="summary_large_image">
<script type="application/ld+json">{{{article.json_ld}}}</script>
<style>
{{>critical_css}}
</style>
<link rel="stylesheet" href="{{site.url}}static/site.{{site.asset_version}}.css">
</head>
<body class="article-page section-{{article.section.slug}}">
<a class="skip" href="#main">{{labels.skip_to_content}}</a>
{{>header}}
<main id="main">
<article class="article">
<header class="article__header">
{{#article.sponsored}}
<p class="article__sponsored">{{labels.sponsored}} &middot; {{labels.commissioned_by}}</p>
{{/article.sponsored}}
<p class="kicker"><a href="{{article.section.url}}">{{article.section.name}}</a></p>
<h1 class="headline">{{article.headline}}</h1>
<p class="standfirst">{{article.standfirst}}</p>
<p class="byline">{{labels.by}}
{{#article.authors}}
<a class="byline__author" href="{{url}}" rel="author">{{name}}</a>{{^last}},{{/last}}
{{/article.authors}}
</p>
<p class="article__meta"><time datetime="{{article.published_iso}}">{{labels.published}}</time>
{{#article.updated_iso}}
&middot; <time datetime="{{.}}">{{labels.updated}}</time>
{{/article.updated_iso}}
</p>
</header>
<figure class="hero">
<picture>
{{#article.hero.sources}}
<source type="{{type}}" srcset="{{srcset}}" sizes="(min-width: 72rem) 72rem, 100vw">
{{/article.hero.sources}}
<img src="{{article.hero.src}}" alt="{{article.hero.alt}}" width="{{article.hero.width}}" height="{{article.hero.height}}">
</picture>
<figcaption>{{article.hero.caption}} <span class="hero__credit">{{article.hero.credit}}</span></figcaption>
</figure>
<div class="body">
{{{article.body_html}}}
</div>
{{>share}}
<ul class="tags">
{{#article.tags}}
<li><a href="{{url}}" rel="tag">{{name}}</a></li>
{{/article.tags}}
</ul>
</article>
<aside class="related" aria-labelledby="related-title">
<h2 id="related-title">{{labels.related}}</h2>
<ul class="related__list">
{{#related}}
<li class="card">
<a class="card__image" href="{{url}}" tabindex="-1"><img src="{{image.src}}" alt="{{image.alt}}" width="320" height="180" loading="lazy"></a>
<div class="card__text">
<p class="kicker">{{section}}</p>
<h3 class="card__title"><a href="{{url}}">{{headline}}</a></h3>
<p class="card__summary">{{summary}}</p>
<time datetime="{{published_iso}}">{{published_text}}</time>
</div>
</li>
{{/related}}
</ul>
</aside>
{{>newsletter}}
</main>
{{>footer}}
<script src="{{site.url}}static/site.{{site.asset_version}}.js" defer></script>
</body>
</html>
)");
  return t;
}

// ---- the data ------------------------------------------------------------------

std::string article_body() {
  static const char* const kParagraphs[] = {
      "<p>The harbour authority&rsquo;s decision to double berth fees at the east quay, announced "
      "on Tuesday after a closed session, has drawn protests from fishing co-operatives who say "
      "the increase will push smaller boats out of the port within two seasons.</p>\n",
      "<p>&ldquo;We were told about this by a notice pinned to the gate,&rdquo; said Marta "
      "Ilves, who has fished from the quay for 31 years. &ldquo;Nobody asked us what a boat like "
      "mine earns in a bad winter.&rdquo;</p>\n",
      "<p>According to figures published by the authority, the <a "
      "href=\"https://example.org/report.pdf\">maintenance backlog</a> on the east quay has "
      "reached &pound;14.2m, and the current fees cover less than a fifth of annual upkeep. "
      "Officials argue that without the rise, sections of the quay wall will have to close.</p>\n",
      "<h2>A port in two halves</h2>\n",
      "<p>The west side, rebuilt in 2019 for cruise ships and ferries, now brings in most of the "
      "port&rsquo;s revenue. Critics say the authority has let the older east quay decline while "
      "courting tourism, a charge its chair, Daniel Okafor, rejects: &ldquo;Every pound from the "
      "west side has been spent keeping the east side open.&rdquo;</p>\n",
      "<blockquote><p>&ldquo;If the small boats go, they do not come back. You cannot rebuild a "
      "fishing community from a spreadsheet.&rdquo;</p></blockquote>\n",
      "<p>Councillors will debate a motion on Thursday asking the authority to phase the increase "
      "over five years and to publish the full cost model. The co-operatives have also written to "
      "the regional development fund, which part-financed the 2019 works, asking whether "
      "conditions of that grant were met.</p>\n",
  };
  std::string body;
  for (int i = 0; body.size() < 6000; ++i) body += kParagraphs[i % 7];
  return body;
}

boost::json::value page_data() {
  namespace json = boost::json;
  const char* const kSections[] = {"News", "Business", "Climate", "Culture", "Opinion", "Sport"};
  json::array menu;
  for (int s = 0; s < 6; ++s) {
    json::array subsections;
    for (int k = 1; k <= 5; ++k) {
      subsections.push_back(
          json::object{{"name", std::string(kSections[s]) + " " + std::to_string(k)},
                       {"url", "https://meridianledger.example/" + std::string(kSections[s]) + "/" +
                                   std::to_string(k)}});
    }
    menu.push_back(
        json::object{{"name", kSections[s]},
                     {"url", "https://meridianledger.example/" + std::string(kSections[s])},
                     {"current", s == 1},
                     {"subsections", std::move(subsections)}});
  }
  json::array related;
  for (int r = 1; r <= 5; ++r) {
    related.push_back(json::object{
        {"url",
         "https://meridianledger.example/business/2026/11/harbour-story-" + std::to_string(r)},
        {"headline",
         "Ferry operator & unions reach deal on winter timetable, part " + std::to_string(r)},
        {"summary",
         "Talks that ran past midnight ended with a \"framework\" both sides say protects "
         "jobs <for now>, though details of the pay offer remain unpublished."},
        {"section", "Business"},
        {"image", json::object{{"src", "https://img.meridianledger.example/r" + std::to_string(r) +
                                           "/320x180.avif"},
                               {"alt", "Ferry at the west quay at dusk"}}},
        {"published_iso", "2026-11-2" + std::to_string(r) + "T08:15:00+00:00"},
        {"published_text", std::to_string(20 + r) + " November 2026"}});
  }
  json::array columns;
  for (const char* title : {"Sections", "Newsletters", "About us", "Help", "Legal"}) {
    json::array links;
    for (int k = 1; k <= 10; ++k) {
      links.push_back(json::object{{"text", std::string(title) + " link " + std::to_string(k)},
                                   {"url", "https://meridianledger.example/" + std::string(title) +
                                               "/" + std::to_string(k)}});
    }
    columns.push_back(json::object{{"title", title}, {"links", std::move(links)}});
  }
  json::object article{
      {"headline", "Harbour fees double as fishing co-operatives warn of \"slow eviction\""},
      {"headline_url", "Harbour%20fees%20double"},
      {"standfirst",
       "Berth charges at the east quay rise 100% from January; councillors to debate a "
       "phased increase on Thursday"},
      {"url", "https://meridianledger.example/business/2026/11/29/harbour-fees-double"},
      {"url_encoded",
       "https%3A%2F%2Fmeridianledger.example%2Fbusiness%2F2026%2F11%2F29%2Fharbour-fees-double"},
      {"section", json::object{{"name", "Business"},
                               {"slug", "business"},
                               {"url", "https://meridianledger.example/business"}}},
      {"sponsored", false},
      {"authors", json::array{json::object{{"name", "Ana Lima"},
                                           {"url", "https://meridianledger.example/authors/ana"},
                                           {"last", false}},
                              json::object{{"name", "Kenji Sato"},
                                           {"url", "https://meridianledger.example/authors/kenji"},
                                           {"last", true}}}},
      {"published_iso", "2026-11-29T06:30:00+00:00"},
      {"updated_iso", "2026-11-29T09:05:00+00:00"},
      {"hero",
       json::object{
           {"src", "https://img.meridianledger.example/harbour/1600x900.jpg"},
           {"alt", "Fishing boats moored at the east quay"},
           {"width", 1600},
           {"height", 900},
           {"caption", "Boats at the east quay, where berth fees will double in January."},
           {"credit", "Photo: Jane Doe/Meridian Ledger"},
           {"sources",
            json::array{
                json::object{{"type", "image/avif"},
                             {"srcset",
                              "https://img.meridianledger.example/harbour/800x450.avif 800w, "
                              "https://img.meridianledger.example/harbour/1600x900.avif 1600w"}},
                json::object{{"type", "image/webp"},
                             {"srcset",
                              "https://img.meridianledger.example/harbour/800x450.webp 800w, "
                              "https://img.meridianledger.example/harbour/1600x900.webp "
                              "1600w"}}}}}},
      {"body_html", article_body()},
      {"tags", json::array{json::object{{"name", "Ports"},
                                        {"url", "https://meridianledger.example/tags/ports"}},
                           json::object{{"name", "Fishing"},
                                        {"url", "https://meridianledger.example/tags/fishing"}},
                           json::object{{"name", "Local government"},
                                        {"url", "https://meridianledger.example/tags/council"}}}},
  };
  article["json_ld"] = json::serialize(json::object{
      {"@context", "https://schema.org"},
      {"@type", "NewsArticle"},
      {"headline", article["headline"]},
      {"datePublished", article["published_iso"]},
      {"dateModified", article["updated_iso"]},
      {"image", json::array{article["hero"].at("src")}},
      {"author", json::array{json::object{{"@type", "Person"}, {"name", "Ana Lima"}},
                             json::object{{"@type", "Person"}, {"name", "Kenji Sato"}}}},
      {"publisher",
       json::object{{"@type", "NewsMediaOrganization"}, {"name", "The Meridian Ledger"}}}});
  return json::object{
      {"site", json::object{{"name", "The Meridian Ledger"},
                            {"url", "https://meridianledger.example/"},
                            {"lang", "en-GB"},
                            {"asset_version", "3f9c2a1"}}},
      {"reader", json::object{{"signed_in", true}, {"name", "R. Reader"}}},
      {"csrf_token", "b6f0e3f1c2d94a8e9f7a6b5c4d3e2f10"},
      {"labels",
       json::object{{"skip_to_content", "Skip to content"},
                    {"search", "Search"},
                    {"search_placeholder", "Search articles"},
                    {"menu", "Sections"},
                    {"by", "By"},
                    {"published", "Published 29 November 2026, 06:30 GMT"},
                    {"updated", "Updated 29 November 2026, 09:05 GMT"},
                    {"share", "Share this article"},
                    {"share_facebook", "Share on Facebook"},
                    {"share_linkedin", "Share on LinkedIn"},
                    {"share_x", "Share on X"},
                    {"share_mail", "Share by email"},
                    {"print", "Print"},
                    {"related", "Related articles"},
                    {"sponsored", "Sponsored Content"},
                    {"commissioned_by", "Commissioned by Harbour Ventures"},
                    {"newsletter",
                     "Get the morning briefing in your inbox \xe2\x80\x94 sign up for our "
                     "newsletter"},
                    {"about_sponsored", "About Sponsored Content"},
                    {"rights", "\xc2\xa9 2026 The Meridian Ledger. All rights reserved."}}},
      {"article", std::move(article)},
      {"menu", std::move(menu)},
      {"related", std::move(related)},
      {"footer", json::object{{"columns", std::move(columns)}}},
  };
}

struct Fixture {
  Partials templates = page_templates();
  boost::json::value data = page_data();
  masthead::render::TemplateSet set;

  Fixture() {
    for (const auto& [name, source] : templates) set.add(name, source);
    set.compile();
  }
};

const Fixture& fixture() {
  static const Fixture f;
  return f;
}

// ---- Masthead ------------------------------------------------------------------

void BM_MastheadRender(benchmark::State& state) {
  const Fixture& f = fixture();
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string page = f.set.render("article", f.data);
    bytes = page.size();
    benchmark::DoNotOptimize(page);
  }
  state.counters["page_bytes"] = static_cast<double>(bytes);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_MastheadRender);

void BM_MastheadRenderReuse(benchmark::State& state) {
  const Fixture& f = fixture();
  std::string page;
  for (auto _ : state) {
    page.clear();
    f.set.render_to(page, "article", f.data);
    benchmark::DoNotOptimize(page.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * page.size()));
}
BENCHMARK(BM_MastheadRenderReuse);

void BM_MastheadCompile(benchmark::State& state) {
  const Fixture& f = fixture();
  for (auto _ : state) {
    masthead::render::TemplateSet set;
    for (const auto& [name, source] : f.templates) set.add(name, source);
    set.compile();
    benchmark::DoNotOptimize(set);
  }
}
BENCHMARK(BM_MastheadCompile);

// ---- mstch ---------------------------------------------------------------------

#ifdef MASTHEAD_BENCH_MSTCH

mstch::node to_mstch(const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::bool_:
      return v.get_bool();
    case boost::json::kind::int64:
      return static_cast<int>(v.get_int64());
    case boost::json::kind::uint64:
      return static_cast<int>(v.get_uint64());
    case boost::json::kind::double_:
      return v.get_double();
    case boost::json::kind::string:
      return std::string(v.get_string());
    case boost::json::kind::array: {
      mstch::array items;
      for (const boost::json::value& item : v.get_array()) items.push_back(to_mstch(item));
      return items;
    }
    case boost::json::kind::object: {
      mstch::map members;
      for (const auto& member : v.get_object()) {
        members.emplace(std::string(member.key()), to_mstch(member.value()));
      }
      return members;
    }
    default:
      return nullptr;
  }
}

struct MstchFixture {
  std::string page;
  std::map<std::string, std::string> partials;
  mstch::node data;

  MstchFixture() {
    for (const auto& [name, source] : fixture().templates) {
      if (name == "article") {
        page = source;
      } else {
        partials.emplace(name, source);
      }
    }
    data = to_mstch(fixture().data);
  }
};

const MstchFixture& mstch_fixture() {
  static const MstchFixture f;
  return f;
}

void BM_MstchRender(benchmark::State& state) {
  const MstchFixture& m = mstch_fixture();
  for (auto _ : state) {
    std::string page = mstch::render(m.page, m.data, m.partials);
    benchmark::DoNotOptimize(page);
  }
}
BENCHMARK(BM_MstchRender);

void BM_MstchRenderWithData(benchmark::State& state) {
  const MstchFixture& m = mstch_fixture();
  for (auto _ : state) {
    std::string page = mstch::render(m.page, to_mstch(fixture().data), m.partials);
    benchmark::DoNotOptimize(page);
  }
}
BENCHMARK(BM_MstchRenderWithData);

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
  return s;
}

// Both engines must produce the same page, or the comparison means nothing.
bool outputs_agree() {
  const std::string ours = fixture().set.render("article", fixture().data);
  const MstchFixture& m = mstch_fixture();
  const std::string theirs = replace_all(mstch::render(m.page, m.data, m.partials), "&#x2F;", "/");
  if (ours == theirs) {
    std::fprintf(stderr, "outputs agree: %zu bytes\n", ours.size());
    return true;
  }
  std::size_t at = 0;
  while (at < ours.size() && at < theirs.size() && ours[at] == theirs[at]) ++at;
  const std::size_t from = at < 80 ? 0 : at - 80;
  std::fprintf(
      stderr, "outputs differ at byte %zu (%zu vs %zu bytes)\nmasthead: %s\nmstch:    %s\n", at,
      ours.size(), theirs.size(), ours.substr(from, 160).c_str(), theirs.substr(from, 160).c_str());
  return false;
}

#endif  // MASTHEAD_BENCH_MSTCH

}  // namespace

int main(int argc, char** argv) {
  const std::string page = fixture().set.render("article", fixture().data);
  if (argc == 2 && std::string_view(argv[1]) == "--dump") {  // the page, to look at
    std::fwrite(page.data(), 1, page.size(), stdout);
    return 0;
  }
  std::fprintf(stderr, "page: %zu bytes\n", page.size());
#ifdef MASTHEAD_BENCH_MSTCH
  if (!outputs_agree()) return 1;
#endif
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
