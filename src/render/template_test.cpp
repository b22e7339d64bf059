// Tests for the Mustache engine (Template + TemplateSet).
//
// Most cases are a table in the shape of the Mustache spec's own suites
// (interpolation, sections, inverted, comments, partials, delimiters): a
// template, JSON data, partials, and the exact expected output, whitespace
// included. Errors are checked for their message and line and column.
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "render/template_error.h"
#include "render/template_set.h"

namespace masthead::render {
namespace {

struct Case {
  const char* name;
  const char* data;
  const char* template_text;
  const char* expected;
  std::vector<std::pair<const char*, const char*>> partials = {};
};

std::string render_case(const Case& c) {
  TemplateSet set;
  set.add("test", c.template_text);
  for (const auto& [name, source] : c.partials) set.add(name, source);
  set.compile();
  return set.render("test", boost::json::parse(c.data));
}

class SpecTest : public testing::TestWithParam<Case> {};

TEST_P(SpecTest, RendersExactly) {
  const Case& c = GetParam();
  EXPECT_EQ(render_case(c), c.expected) << "template: " << c.template_text;
}

std::string case_name(const testing::TestParamInfo<Case>& info) {
  return info.param.name;
}

// clang-format off
const Case kInterpolation[] = {
    {"NoTags", "{}", "Hello from {Mustache}!\n", "Hello from {Mustache}!\n"},
    {"BasicVariable", R"({"subject":"world"})", "Hello, {{subject}}!\n", "Hello, world!\n"},
    {"NoReinterpolation", R"({"template":"{{planet}}","planet":"Earth"})",
     "{{template}}: {{planet}}", "{{planet}}: Earth"},
    {"HtmlEscaping", R"({"forbidden":"& \" < > '"})",
     "These characters should be HTML escaped: {{forbidden}}\n",
     "These characters should be HTML escaped: &amp; &quot; &lt; &gt; &#39;\n"},
    {"TripleMustache", R"({"forbidden":"& \" < > '"})", "{{{forbidden}}}", "& \" < > '"},
    {"Ampersand", R"({"forbidden":"& \" < > '"})", "{{&forbidden}}", "& \" < > '"},
    {"EscapeRunsAtEdges", R"({"s":"<a&b>"})", "[{{s}}]", "[&lt;a&amp;b&gt;]"},
    {"Utf8Untouched", R"({"s":"日本語 — “quoted”"})", "{{s}}", "日本語 — “quoted”"},
    {"Integer", R"({"mph":85})", "\"{{mph}} miles an hour!\"", "\"85 miles an hour!\""},
    {"NegativeInteger", R"({"n":-42})", "{{n}}", "-42"},
    {"BigUnsigned", R"({"n":18446744073709551615})", "{{n}}", "18446744073709551615"},
    {"Decimal", R"({"power":1.210})", "{{power}} jiggawatts", "1.21 jiggawatts"},
    {"WholeDouble", R"({"d":3.0})", "{{d}}", "3"},
    {"BoolTrue", R"({"b":true})", "{{b}}", "true"},
    {"BoolFalse", R"({"b":false})", "{{b}}", "false"},
    {"Null", R"({"cannot":null})", "I ({{cannot}}) be seen!", "I () be seen!"},
    {"ContextMiss", "{}", "I ({{cannot}}) be seen!", "I () be seen!"},
    {"ArrayAndObjectRenderNothing", R"({"a":[1],"o":{"x":1}})", "[{{a}}{{o}}]", "[]"},
    {"DottedBasic", R"({"person":{"name":"Joe"}})", "{{person.name}} == {{#person}}{{name}}{{/person}}",
     "Joe == Joe"},
    {"DottedTriple", R"({"person":{"name":"<b>"}})", "{{{person.name}}}|{{&person.name}}", "<b>|<b>"},
    {"DottedArbitraryDepth", R"({"a":{"b":{"c":{"d":{"e":{"name":"Phil"}}}}}})",
     "{{a.b.c.d.e.name}}", "Phil"},
    {"DottedBrokenChain", R"({"a":{}})", "[{{a.b.c}}]", "[]"},
    {"DottedBrokenChainResolution", R"({"a":{"b":{}},"c":{"name":"Jim"}})", "[{{a.b.c.name}}]", "[]"},
    {"DottedInitialResolution",
     R"({"a":{"b":{"c":{"d":{"e":{"name":"Phil"}}}}},"b":{"c":{"d":{"e":{"name":"Wrong"}}}}})",
     "{{#a}}{{b.c.d.e.name}}{{/a}}", "Phil"},
    {"DottedContextPrecedence", R"({"a":{"b":{}},"b":{"c":"ERROR"}})", "[{{#a}}{{b.c}}{{/a}}]", "[]"},
    {"DottedOfNonObject", R"({"a":"text"})", "[{{a.length}}]", "[]"},
    {"ImplicitIteratorString", R"("world")", "Hello, {{.}}!", "Hello, world!"},
    {"ImplicitIteratorEscapes", R"("<&>")", "{{.}} {{{.}}}", "&lt;&amp;&gt; <&>"},
    {"ImplicitIteratorNumber", "85", "{{.}}", "85"},
    {"SurroundingWhitespace", R"({"string":"---"})", "| {{string}} |", "| --- |"},
    {"Standalone", R"({"string":"---"})", "  {{string}}\n", "  ---\n"},
    {"InterpolationNeverStandalone", R"({"string":""})", "  {{string}}\n", "  \n"},
    {"Padding", R"({"string":"---"})", "|{{ string }}|{{{ string }}}|{{& string }}|", "|---|---|---|"},
    {"DataNewlinesKept", R"({"s":"a\nb"})", "{{s}}", "a\nb"},
};

const Case kSections[] = {
    {"Truthy", R"({"boolean":true})", "\"{{#boolean}}This should be rendered.{{/boolean}}\"",
     "\"This should be rendered.\""},
    {"Falsey", R"({"boolean":false})", "\"{{#boolean}}Not rendered.{{/boolean}}\"", "\"\""},
    {"NullIsFalsey", R"({"null":null})", "\"{{#null}}Not rendered.{{/null}}\"", "\"\""},
    {"EmptyStringIsFalsey", R"({"s":""})", "[{{#s}}x{{/s}}]", "[]"},
    {"ZeroIsTruthy", R"({"n":0})", "[{{#n}}{{.}}{{/n}}]", "[0]"},
    {"EmptyObjectIsTruthy", R"({"o":{}})", "[{{#o}}x{{/o}}]", "[x]"},
    {"Context", R"({"context":{"name":"Joe"}})", "\"{{#context}}Hi {{name}}.{{/context}}\"",
     "\"Hi Joe.\""},
    {"ParentContexts", R"({"a":"foo","b":"wrong","sec":{"b":"bar"},"c":{"d":"baz"}})",
     "\"{{#sec}}{{a}}, {{b}}, {{c.d}}{{/sec}}\"", "\"foo, bar, baz\""},
    {"VariableTest", R"({"foo":"bar"})", "\"{{#foo}}{{.}} is {{foo}}{{/foo}}\"", "\"bar is bar\""},
    {"ListContexts",
     R"({"tops":[{"tname":{"upper":"A","lower":"a"},"middles":[{"mname":"1","bottoms":[{"bname":"x"},{"bname":"y"}]}]}]})",
     "{{#tops}}{{#middles}}{{tname.lower}}{{mname}}.{{#bottoms}}{{tname.upper}}{{mname}}{{bname}}.{{/bottoms}}{{/middles}}{{/tops}}",
     "a1.A1x.A1y."},
    {"List", R"({"list":[{"item":1},{"item":2},{"item":3}]})", "\"{{#list}}{{item}}{{/list}}\"",
     "\"123\""},
    {"EmptyList", R"({"list":[]})", "\"{{#list}}Yay lists!{{/list}}\"", "\"\""},
    {"StringsNotLists", R"({"section":"123"})", "\"{{#section}}foo{{/section}}\"", "\"foo\""},
    {"Doubled", R"({"bool":true,"two":"second"})",
     "{{#bool}}\n* first\n{{/bool}}\n* {{two}}\n{{#bool}}\n* third\n{{/bool}}\n",
     "* first\n* second\n* third\n"},
    {"NestedTruthy", R"({"bool":true})", "| A {{#bool}}B {{#bool}}C{{/bool}} D{{/bool}} E |",
     "| A B C D E |"},
    {"NestedFalsey", R"({"bool":false})", "| A {{#bool}}B {{#bool}}C{{/bool}} D{{/bool}} E |",
     "| A  E |"},
    {"ContextMisses", "{}", "[{{#missing}}Found key 'missing'!{{/missing}}]", "[]"},
    {"ImplicitIteratorStrings", R"({"list":["a","b","c"]})", "\"{{#list}}({{.}}){{/list}}\"",
     "\"(a)(b)(c)\""},
    {"ImplicitIteratorIntegers", R"({"list":[1,2,3]})", "{{#list}}({{.}}){{/list}}", "(1)(2)(3)"},
    {"ImplicitIteratorDecimals", R"({"list":[1.10,2.20,3.30]})", "{{#list}}({{.}}){{/list}}",
     "(1.1)(2.2)(3.3)"},
    {"ImplicitIteratorArrays", R"({"list":[[1,2,3],["a","b","c"]]})",
     "\"{{#list}}({{#.}}{{.}}{{/.}}){{/list}}\"", "\"(123)(abc)\""},
    {"DottedTruthy", R"({"a":{"b":{"c":true}}})", "\"{{#a.b.c}}Here{{/a.b.c}}\"", "\"Here\""},
    {"DottedFalsey", R"({"a":{"b":{"c":false}}})", "\"{{#a.b.c}}Here{{/a.b.c}}\"", "\"\""},
    {"DottedBrokenChains", R"({"a":{}})", "\"{{#a.b.c}}Here{{/a.b.c}}\"", "\"\""},
    {"SurroundingWhitespace", R"({"boolean":true})", " | {{#boolean}}\t|\t{{/boolean}} | \n",
     " | \t|\t | \n"},
    {"InternalWhitespace", R"({"boolean":true})",
     " | {{#boolean}} {{! Important Whitespace }}\n {{/boolean}} | \n", " |  \n  | \n"},
    {"IndentedInline", R"({"boolean":true})",
     " {{#boolean}}YES{{/boolean}}\n {{#boolean}}GOOD{{/boolean}}\n", " YES\n GOOD\n"},
    {"StandaloneLines", R"({"boolean":true})",
     "| This Is\n{{#boolean}}\n|\n{{/boolean}}\n| A Line\n", "| This Is\n|\n| A Line\n"},
    {"IndentedStandaloneLines", R"({"boolean":true})",
     "| This Is\n  {{#boolean}}\n|\n  {{/boolean}}\n| A Line\n", "| This Is\n|\n| A Line\n"},
    {"StandaloneCrLf", R"({"boolean":true})", "|\r\n{{#boolean}}\r\n{{/boolean}}\r\n|", "|\r\n|"},
    {"StandaloneWithoutPreviousLine", R"({"boolean":true})", "  {{#boolean}}\n#{{/boolean}}\n/",
     "#\n/"},
    {"StandaloneWithoutNewline", R"({"boolean":true})", "#{{#boolean}}\n/\n  {{/boolean}}",
     "#\n/\n"},
    {"TwoTagsOnALineAreNotStandalone", R"({"b":true})", "{{#b}}{{/b}}\nx", "\nx"},
    {"Padding", R"({"boolean":true})", "|{{# boolean }}={{/ boolean }}|", "|=|"},
    {"DeeplyNested",
     R"({"a":{"one":1},"b":{"two":2},"c":{"three":3,"d":{"four":4,"five":5}}})",
     "{{#a}}\n{{one}}\n{{#b}}\n{{one}}{{two}}{{one}}\n{{#c}}\n{{one}}{{two}}{{three}}{{two}}{{one}}\n"
     "{{#d}}\n{{one}}{{two}}{{three}}{{four}}{{three}}{{two}}{{one}}\n{{#five}}\n"
     "{{one}}{{two}}{{three}}{{four}}{{.}}6{{.}}{{four}}{{three}}{{two}}{{one}}\n{{/five}}\n"
     "{{/d}}\n{{/c}}\n{{/b}}\n{{/a}}\n",
     "1\n121\n12321\n1234321\n12345654321\n"},
    {"TextAfterSectionNotMerged", R"({"s":[1,2]})", "{{#s}}a{{/s}}b", "aab"},
};

const Case kInverted[] = {
    {"Falsey", R"({"boolean":false})", "\"{{^boolean}}This should be rendered.{{/boolean}}\"",
     "\"This should be rendered.\""},
    {"Truthy", R"({"boolean":true})", "\"{{^boolean}}Not rendered.{{/boolean}}\"", "\"\""},
    {"NullIsFalsey", R"({"null":null})", "\"{{^null}}Rendered{{/null}}\"", "\"Rendered\""},
    {"Context", R"({"context":{"name":"Joe"}})", "\"{{^context}}Hi {{name}}.{{/context}}\"",
     "\"\""},
    {"List", R"({"list":[{"n":1},{"n":2}]})", "\"{{^list}}{{n}}{{/list}}\"", "\"\""},
    {"EmptyList", R"({"list":[]})", "\"{{^list}}Yay lists!{{/list}}\"", "\"Yay lists!\""},
    {"EmptyString", R"({"s":""})", "{{^s}}none{{/s}}", "none"},
    {"Doubled", R"({"bool":false,"two":"second"})",
     "{{^bool}}\n* first\n{{/bool}}\n* {{two}}\n{{^bool}}\n* third\n{{/bool}}\n",
     "* first\n* second\n* third\n"},
    {"NestedFalsey", R"({"bool":false})", "| A {{^bool}}B {{^bool}}C{{/bool}} D{{/bool}} E |",
     "| A B C D E |"},
    {"ContextMisses", "{}", "[{{^missing}}Found key 'missing'!{{/missing}}]",
     "[Found key 'missing'!]"},
    {"DottedBrokenChains", R"({"a":{}})", "\"{{^a.b.c}}Not Here{{/a.b.c}}\"", "\"Not Here\""},
    {"StandaloneLines", R"({"boolean":false})",
     "| This Is\n{{^boolean}}\n|\n{{/boolean}}\n| A Line\n", "| This Is\n|\n| A Line\n"},
    {"StandaloneIndented", R"({"boolean":false})",
     "| This Is\n  {{^boolean}}\n|\n  {{/boolean}}\n| A Line\n", "| This Is\n|\n| A Line\n"},
    {"Padding", R"({"boolean":false})", "|{{^ boolean }}={{/ boolean }}|", "|=|"},
    {"ElseIdiom", R"({"items":[]})", "{{#items}}x{{/items}}{{^items}}No articles yet.{{/items}}",
     "No articles yet."},
};

const Case kComments[] = {
    {"Inline", "{}", "12345{{! Comment Block! }}67890", "1234567890"},
    {"Multiline", "{}", "12345{{!\n  This is a\n  multi-line comment...\n}}67890\n",
     "1234567890\n"},
    {"Standalone", "{}", "Begin.\n{{! Comment Block! }}\nEnd.\n", "Begin.\nEnd.\n"},
    {"IndentedStandalone", "{}", "Begin.\n  {{! Indented Comment Block! }}\nEnd.\n",
     "Begin.\nEnd.\n"},
    {"StandaloneCrLf", "{}", "|\r\n{{! Standalone Comment }}\r\n|", "|\r\n|"},
    {"StandaloneWithoutPreviousLine", "{}", "  {{! I'm Still Standalone }}\n!", "!"},
    {"StandaloneWithoutNewline", "{}", "!\n  {{! I'm Still Standalone }}", "!\n"},
    {"MultilineStandalone", "{}", "Begin.\n{{!\nSomething's going on here...\n}}\nEnd.\n",
     "Begin.\nEnd.\n"},
    {"IndentedInline", "{}", "  12 {{! 34 }}\n", "  12 \n"},
    {"SurroundingWhitespace", "{}", "12345 {{! Comment Block! }} 67890", "12345  67890"},
    {"VariableNameCollision", R"({"! comment":1,"! comment ":2,"!comment":3,"comment":4})",
     "comments never show: >{{! comment }}<", "comments never show: ><"},
};

const Case kPartials[] = {
    {"Basic", "{}", "\"{{>text}}\"", "\"from partial\"", {{"text", "from partial"}}},
    {"Context", R"({"text":"content"})", "\"{{>partial}}\"", "\"*content*\"",
     {{"partial", "*{{text}}*"}}},
    {"Recursion", R"({"content":"X","nodes":[{"content":"Y","nodes":[]}]})", "{{>node}}",
     "X<Y<>>", {{"node", "{{content}}<{{#nodes}}{{>node}}{{/nodes}}>"}}},
    {"Nested", R"({"a":"hello","b":"world"})", "{{>outer}}", "*hello world!*",
     {{"outer", "*{{a}} {{>inner}}*"}, {"inner", "{{b}}!"}}},
    {"SurroundingWhitespace", "{}", "| {{>partial}} |", "| \t|\t |", {{"partial", "\t|\t"}}},
    {"InlineIndentation", R"({"data":"|"})", "  {{data}}  {{> partial}}\n", "  |  >\n>\n",
     {{"partial", ">\n>"}}},
    {"StandaloneCrLf", "{}", "|\r\n{{>partial}}\r\n|", "|\r\n>|", {{"partial", ">"}}},
    {"StandaloneWithoutPreviousLine", "{}", "  {{>partial}}\n>", "  >\n  >>",
     {{"partial", ">\n>"}}},
    {"StandaloneWithoutNewline", "{}", ">\n  {{>partial}}", ">\n  >\n  >", {{"partial", ">\n>"}}},
    {"StandaloneIndentation", R"({"content":"<\n->"})", "\\\n {{>partial}}\n/\n",
     "\\\n |\n <\n->a b<\n->c\n |\n/\n", {{"partial", "|\n{{{content}}}a b{{{content}}}c\n|\n"}}},
    {"NestedIndentation", "{}", "  {{>outer}}\n", "  o1\n    i1\n    i2\n  o2\n",
     {{"outer", "o1\n  {{>inner}}\no2\n"}, {"inner", "i1\ni2\n"}}},
    {"IndentedSectionInPartial", R"({"list":[1,2]})", "  {{>p}}\n", "  <ul>\n    1\n    2\n  </ul>\n",
     {{"p", "<ul>\n{{#list}}\n  {{.}}\n{{/list}}\n</ul>\n"}}},
    {"Padding", R"({"boolean":true})", "|{{> partial }}|", "|[]|", {{"partial", "[]"}}},
};

const Case kDelimiters[] = {
    {"PairBehavior", R"({"text":"Hey!"})", "{{=<% %>=}}(<%text%>)", "(Hey!)"},
    {"SpecialCharacters", R"({"text":"It worked!"})", "({{=[ ]=}}[text])", "(It worked!)"},
    {"Sections", R"({"section":true,"data":"I got interpolated."})",
     "[\n{{#section}}\n  {{data}}\n  |data|\n{{/section}}\n\n{{= | | =}}\n|#section|\n  {{data}}\n"
     "  |data|\n|/section|\n]\n",
     "[\n  I got interpolated.\n  |data|\n\n  {{data}}\n  I got interpolated.\n]\n"},
    {"Standalone", "{}", "Begin.\n{{=@ @=}}\nEnd.\n", "Begin.\nEnd.\n"},
    {"AmpersandWithNewDelimiters", R"({"t":"<>"})", "{{=| |=}}|& t||t|", "<>&lt;&gt;"},
    {"PartialsKeepDefault", R"({"value":"yes"})", "{{=| |=}}[|>p|]", "[yes]",
     {{"p", "{{value}}"}}},
};
// clang-format on

INSTANTIATE_TEST_SUITE_P(Interpolation, SpecTest, testing::ValuesIn(kInterpolation), case_name);
INSTANTIATE_TEST_SUITE_P(Sections, SpecTest, testing::ValuesIn(kSections), case_name);
INSTANTIATE_TEST_SUITE_P(Inverted, SpecTest, testing::ValuesIn(kInverted), case_name);
INSTANTIATE_TEST_SUITE_P(Comments, SpecTest, testing::ValuesIn(kComments), case_name);
INSTANTIATE_TEST_SUITE_P(Partials, SpecTest, testing::ValuesIn(kPartials), case_name);
INSTANTIATE_TEST_SUITE_P(Delimiters, SpecTest, testing::ValuesIn(kDelimiters), case_name);

// ---- errors -----------------------------------------------------------------

struct ErrorCase {
  const char* name;
  const char* template_text;
  const char* error_template;  // which template the error names
  std::uint32_t line;
  std::uint32_t column;
  const char* message;  // exact TemplateError::message()
  std::vector<std::pair<const char*, const char*>> partials = {};
};

class ErrorTest : public testing::TestWithParam<ErrorCase> {};

TEST_P(ErrorTest, ReportsWhereAndWhat) {
  const ErrorCase& c = GetParam();
  TemplateSet set;
  set.add("page", c.template_text);
  for (const auto& [name, source] : c.partials) set.add(name, source);
  try {
    set.compile();
    FAIL() << "expected TemplateError";
  } catch (const TemplateError& e) {
    EXPECT_EQ(e.template_name(), c.error_template);
    EXPECT_EQ(e.line(), c.line);
    EXPECT_EQ(e.column(), c.column);
    EXPECT_EQ(e.message(), c.message);
    EXPECT_EQ(std::string(e.what()), std::string(c.error_template) + ":" + std::to_string(c.line) +
                                         ":" + std::to_string(c.column) + ": " + c.message);
  }
}

std::string error_case_name(const testing::TestParamInfo<ErrorCase>& info) {
  return info.param.name;
}

// clang-format off
const ErrorCase kErrors[] = {
    {"UnclosedSection", "<ul>\n  {{#items}}\n  <li>{{title}}</li>\n</ul>\n", "page", 2, 3,
     "unclosed section {{#items}}: no {{/items}} before the end of the template"},
    {"MismatchedClose", "{{#a}}\n{{#b}}\nx\n{{/a}}\n{{/b}}\n", "page", 4, 1,
     "mismatched close tag: {{/a}} cannot close {{#b}} opened at line 2, column 1"},
    {"CloseWithoutOpen", "text\n  x {{/nothing}}", "page", 2, 5,
     "close tag {{/nothing}} has no open section"},
    {"UnclosedTag", "Hello\n{{name\n", "page", 2, 1,
     "unclosed tag: '{{' has no matching '}}'"},
    {"UnclosedTriple", "{{{name}}", "page", 1, 1, "unclosed tag: '{{' has no matching '}}}'"},
    {"UnclosedComment", "a\nb {{! note", "page", 2, 3, "unclosed tag: '{{' has no matching '}}'"},
    {"EmptyName", "x{{ }}", "page", 1, 2, "empty tag name"},
    {"NameWithSpace", "{{first name}}", "page", 1, 1, "malformed tag name 'first name'"},
    {"NameWithEmptyPart", "{{a..b}}", "page", 1, 1, "malformed tag name 'a..b'"},
    {"BadDelimiters", "{{=<%=}}", "page", 1, 1,
     "malformed set-delimiter tag: expected two delimiters, as in {{=<% %>=}}"},
    {"UnknownPartial", "<header>\n  {{> masthead}}\n</header>", "page", 2, 3,
     "unknown partial 'masthead'"},
    {"UnknownPartialInPartial", "{{>a}}", "a", 1, 4, "unknown partial 'missing'",
     {{"a", "abc{{>missing}}"}}},
    {"SelfRecursion", "{{>page}}", "page", 1, 1,
     "partial recursion with no section to end it: page -> page"},
    {"MutualRecursion", "{{>a}}", "b", 1, 1,
     "partial recursion with no section to end it: a -> b -> a",
     {{"a", "{{>b}}"}, {"b", "{{>a}}"}}},
};
// clang-format on

INSTANTIATE_TEST_SUITE_P(Compile, ErrorTest, testing::ValuesIn(kErrors), error_case_name);

TEST(TemplateSetTest, RecursionThroughSectionIsAllowedButBounded) {
  TemplateSet set;
  // `a` is found again in the parent context at every level, so this never
  // runs out of data: render must stop it with an error, not a stack overflow.
  set.add("loop", "{{#a}}[{{>loop}}]{{/a}}");
  set.compile();
  try {
    set.render("loop", boost::json::parse(R"({"a":true})"));
    FAIL() << "expected TemplateError";
  } catch (const TemplateError& e) {
    EXPECT_EQ(e.template_name(), "loop");
    EXPECT_EQ(e.line(), 1u);
    EXPECT_EQ(e.column(), 8u);
    EXPECT_NE(e.message().find("nested more than 64"), std::string::npos) << e.message();
  }
  EXPECT_EQ(set.render("loop", boost::json::parse(R"({"a":false})")), "");
}

TEST(TemplateSetTest, UnknownTemplateAtRender) {
  TemplateSet set;
  set.add("page", "x");
  EXPECT_FALSE(set.has("page"));  // not compiled yet
  set.compile();
  EXPECT_TRUE(set.has("page"));
  EXPECT_FALSE(set.has("missing"));
  EXPECT_THROW(set.render("missing", {}), TemplateError);
}

TEST(TemplateSetTest, FailedCompileKeepsPreviousTemplates) {
  TemplateSet set;
  set.add("page", "v1 {{x}}");
  set.compile();
  set.add("page", "v2 {{#x}}");
  EXPECT_THROW(set.compile(), TemplateError);
  EXPECT_EQ(set.render("page", boost::json::parse(R"({"x":1})")), "v1 1");
  set.add("page", "v3 {{x}}");
  set.compile();
  EXPECT_EQ(set.render("page", boost::json::parse(R"({"x":1})")), "v3 1");
}

TEST(TemplateSetTest, RenderToAppends) {
  TemplateSet set;
  set.add("li", "<li>{{.}}</li>");
  set.compile();
  std::string out = "<ul>";
  set.render_to(out, "li", boost::json::value("a"));
  set.render_to(out, "li", boost::json::value("b"));
  out += "</ul>";
  EXPECT_EQ(out, "<ul><li>a</li><li>b</li></ul>");
}

TEST(TemplateSetTest, DeepSectionNestingIsCapped) {
  std::string source;
  for (int i = 0; i < 300; ++i) source += "{{#.}}";
  for (int i = 0; i < 300; ++i) source += "{{/.}}";
  TemplateSet set;
  set.add("deep", source);
  set.compile();
  EXPECT_THROW(set.render("deep", boost::json::value(true)), TemplateError);
}

TEST(TemplateSetTest, ConcurrentRendersAgree) {
  TemplateSet set;
  set.add("page", "{{#items}}<p>{{title}} &mdash; {{n}}</p>\n{{/items}}{{>footer}}");
  set.add("footer", "<footer>{{site}}</footer>");
  set.compile();
  const boost::json::value data = boost::json::parse(
      R"({"site":"The Meridian Ledger","items":[{"title":"A & B","n":1},{"title":"<C>","n":2.5}]})");
  const std::string expected = set.render("page", data);
  EXPECT_EQ(expected,
            "<p>A &amp; B &mdash; 1</p>\n<p>&lt;C&gt; &mdash; 2.5</p>\n"
            "<footer>The Meridian Ledger</footer>");
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        if (set.render("page", data) != expected) ++mismatches[t];
      }
    });
  }
  for (std::thread& th : threads) th.join();
  for (int m : mismatches) EXPECT_EQ(m, 0);
}

}  // namespace
}  // namespace masthead::render
