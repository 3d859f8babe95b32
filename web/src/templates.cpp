#include "templates.hpp"

#include <array>
#include <stdexcept>

namespace billwatch::web::detail {

namespace {

// Every page: no script, one stylesheet, readable on a phone.
constexpr std::string_view k_layout = R"(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title}} · {{site}}</title>
<link rel="stylesheet" href="/style.css">
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="alternate" type="application/atom+xml" title="All changes" href="/feeds/all.atom">
</head>
<body>
<header><a class="site" href="/">{{site}}</a>
<nav><a href="/bills">Bills</a> <a href="/search">Search</a> <a href="/about">About</a> <a href="/feeds/all.atom">Feed</a> <a href="/subscribe">Get alerts</a></nav></header>
<main>
{{{content}}}
</main>
<footer>Restraint and seclusion of students in US legislation, watched daily. <a href="/about">Sources and licences</a>.</footer>
</body>
</html>
)";

constexpr std::string_view k_home = R"(<h1>Recent changes</h1>
<form class="filters" method="get" action="/">
<label>State <input name="jurisdiction" value="{{jurisdiction}}" size="3" maxlength="2" pattern="[A-Za-z]{2}"></label>
<label>Topic <select name="category"><option value="">any</option>{{#categories}}<option value="{{id}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/categories}}</select></label>
<label>Kind <select name="kind"><option value="">any</option>{{#kinds}}<option value="{{id}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/kinds}}</select></label>
<button>Show</button>
</form>
{{^events}}<p>No changes recorded{{#filtered}} for these choices{{/filtered}} yet.</p>{{/events}}
<ol class="events">
{{#events}}<li><time datetime="{{datetime}}">{{date}}</time> <a href="{{href}}">{{title}}</a>{{#lines}}<p>{{.}}</p>{{/lines}}</li>
{{/events}}</ol>
{{#older}}<p class="pager"><a href="{{older}}">Older changes</a></p>{{/older}}
)";

constexpr std::string_view k_bills = R"(<h1>Bills</h1>
<form class="filters" method="get" action="/bills">
<label>State <input name="jurisdiction" value="{{jurisdiction}}" size="3" maxlength="2" pattern="[A-Za-z]{2}"></label>
<label>Stage <select name="stage"><option value="">any</option>{{#stages}}<option value="{{id}}"{{#selected}} selected{{/selected}}>{{id}}</option>{{/stages}}</select></label>
<label>Topic <select name="category"><option value="">any</option>{{#categories}}<option value="{{id}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/categories}}</select></label>
<button>Show</button>
</form>
<p>{{count}} {{count_words}}{{#pages}}, page {{page}} of {{pages}}{{/pages}}.</p>
<table class="bills">
<thead><tr><th>Bill</th><th>Title</th><th>Where it stands</th><th>Last change</th></tr></thead>
<tbody>
{{#bills}}<tr><td><a href="{{href}}">{{id}}</a></td><td>{{title}}</td><td>{{stage}}</td><td>{{changed}}</td></tr>
{{/bills}}</tbody>
</table>
<p class="pager">{{#previous}}<a href="{{previous}}">Previous page</a> {{/previous}}{{#next}}<a href="{{next}}">Next page</a>{{/next}}</p>
)";

constexpr std::string_view k_bill = R"(<h1>{{heading}}: {{title}}</h1>
<dl class="facts">
<dt>Where it stands</dt><dd>{{position}}{{#stage_date}} ({{stage_date}}){{/stage_date}}</dd>
{{#next_step}}<dt>Next</dt><dd>{{next_step}}</dd>{{/next_step}}
{{#sponsor}}<dt>Sponsor</dt><dd>{{sponsor}}</dd>{{/sponsor}}
<dt>Source</dt><dd>{{#source_href}}<a href="{{source_href}}" rel="noopener noreferrer">{{source}}</a>{{/source_href}}{{^source_href}}{{source}}{{/source_href}}</dd>
<dt>Follow</dt><dd><a href="{{feed}}">Atom feed of this bill</a> · <a href="{{api}}">JSON</a></dd>
{{#legiscan}}<dt>Data</dt><dd>Bill data from LegiScan, licensed CC BY 4.0.</dd>{{/legiscan}}
</dl>
{{#last}}<section class="last"><h2>What changed last</h2><p class="when">{{date}}: {{title}}</p>{{#lines}}<p>{{.}}</p>{{/lines}}</section>{{/last}}
<section><h2>What it says for students</h2>
{{^groups}}<p>No restraint or seclusion provision found in its latest text.</p>{{/groups}}
{{#groups}}<h3>{{name}}</h3><ul>{{#items}}<li><a href="{{href}}">{{section}}</a>{{#excerpt}}: “{{excerpt}}”{{/excerpt}}</li>{{/items}}</ul>
{{/groups}}</section>
<section><h2>Timeline</h2>
<ol class="timeline">
{{#timeline}}<li><time>{{date}}</time> {{#href}}<a href="{{href}}">{{text}}</a>{{/href}}{{^href}}{{text}}{{/href}}{{#diff}} · <a href="{{diff}}">what changed</a>{{/diff}}</li>
{{/timeline}}</ol></section>
)";

constexpr std::string_view k_version =
    R"(<h1>{{bill}}, version {{number}}{{#label}} ({{label}}){{/label}}</h1>
<p><a href="{{bill_href}}">Back to the bill</a>{{#diff}} · <a href="{{diff}}">what changed from version {{previous}}</a>{{/diff}} · fetched {{fetched}}{{#source_href}} from <a href="{{source_href}}" rel="noopener noreferrer">the source</a>{{/source_href}}</p>
{{#has_provisions}}<section class="provisions"><h2>Provisions in this text</h2><ul>{{#provisions}}<li><a href="#p-{{paragraph}}">{{name}}, {{section}}</a></li>{{/provisions}}</ul></section>{{/has_provisions}}
<article class="text">
{{#paragraphs}}{{#section}}<a id="sec-{{section}}"></a>{{/section}}{{#marked}}<p id="p-{{index}}" class="marked"><span class="tag">{{marked}}</span> {{text}}</p>{{/marked}}{{^marked}}<p id="p-{{index}}">{{text}}</p>{{/marked}}
{{/paragraphs}}</article>
)";

constexpr std::string_view k_diff = R"(<h1>{{bill}}: version {{from}} to version {{to}}</h1>
<p><a href="{{bill_href}}">Back to the bill</a> · <a href="{{from_href}}">version {{from}}{{#from_label}} ({{from_label}}){{/from_label}}</a> → <a href="{{to_href}}">version {{to}}{{#to_label}} ({{to_label}}){{/to_label}}</a></p>
<section><h2>What changed for students</h2>
{{^changes}}<p>No restraint or seclusion provision changed.</p>{{/changes}}
<ul>{{#changes}}<li>{{text}}{{#excerpt}}<br><q>{{excerpt}}</q>{{/excerpt}}</li>{{/changes}}</ul></section>
<section class="diff"><h2>The words</h2>
{{{word_diff}}}
</section>
)";

constexpr std::string_view k_search = R"(<h1>Search</h1>
<form method="get" action="/search"><input name="q" value="{{query}}" size="40" aria-label="Search the bills' texts"> <button>Search</button></form>
<p class="hint">Words, "a phrase", prefix*, AND, OR, NOT.</p>
{{#error}}<p class="error">{{error}}</p>{{/error}}
{{#searched}}{{^hits}}<p>No matches.</p>{{/hits}}{{/searched}}
<ol class="hits">
{{#hits}}<li><a href="{{href}}">{{bill_id}}</a> {{title}}<br><span class="versions">{{versions}}</span>: {{snippet}}</li>
{{/hits}}</ol>
)";

constexpr std::string_view k_about = R"(<h1>About</h1>
<p>This site shows the bills on restraint and seclusion of students that {{site}} tracks in US state legislatures and Congress, every version of their text, the provisions found in it and how they changed.</p>
<ul>
<li>{{bills}} bills tracked in {{jurisdictions}} jurisdictions.</li>
<li>Last change recorded: {{#last_change}}{{last_change}}{{/last_change}}{{^last_change}}none yet{{/last_change}}.</li>
<li>Last run finished: {{#last_run}}{{last_run}}{{/last_run}}{{^last_run}}no run yet{{/last_run}}.</li>
</ul>
<h2>Sources</h2>
{{#unhealthy}}<p class="error">A source is not working: changes to the bills it reads may be missed until it works again.</p>{{/unhealthy}}
<ul class="sources">{{#sources}}<li>{{name}}: {{state}}</li>{{/sources}}{{^sources}}<li>No run has recorded its sources yet.</li>{{/sources}}</ul>
<h2>Sources and licences</h2>
<ul>
<li>Congress: bill status and texts from govinfo.gov and api.congress.gov (US government works, public domain).</li>
<li>States: LegiScan (data licensed <a href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>), Open States (public domain data), and the legislatures' own pages.</li>
</ul>
<p>Provisions are found by rules, not by people: read the bill's text before citing it. Each version links to its source.</p>
<h2>For researchers</h2>
<p>JSON: <a href="/api/v1/bills">/api/v1/bills</a>, <code>/api/v1/bills/{id}</code>, <code>/api/v1/bills/{id}/versions/{n}</code>, <a href="/api/v1/events">/api/v1/events?after=ID</a>. Feeds: <a href="/feeds/all.atom">all changes</a>, <code>/feeds/jurisdictions/WA.atom</code>, <code>/feeds/categories/seclusion_ban.atom</code>, <code>/feeds/bills/{id}.atom</code>.</p>
)";

constexpr std::string_view k_error = R"(<h1>{{heading}}</h1>
<p>{{message}}</p>
{{#request_id}}<p class="hint">Request {{request_id}}.</p>{{/request_id}}
<p><a href="/">Recent changes</a> · <a href="/bills">All bills</a></p>
)";

constexpr std::string_view k_atom = R"(<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<id>{{id}}</id>
<title>{{title}}</title>
<updated>{{updated}}</updated>
<link rel="self" type="application/atom+xml" href="{{self}}"/>
<link rel="alternate" type="text/html" href="{{alternate}}"/>
<author><name>{{site}}</name></author>
<generator>billwatch</generator>
{{#entries}}<entry>
<id>{{id}}</id>
<title>{{title}}</title>
<updated>{{updated}}</updated>
<link rel="alternate" type="text/html" href="{{link}}"/>
<content type="text">{{content}}</content>
</entry>
{{/entries}}</feed>
)";

std::string_view source_of(Template which) {
  switch (which) {
    case Template::layout:
      return k_layout;
    case Template::home:
      return k_home;
    case Template::bills:
      return k_bills;
    case Template::bill:
      return k_bill;
    case Template::version:
      return k_version;
    case Template::diff:
      return k_diff;
    case Template::search:
      return k_search;
    case Template::about:
      return k_about;
    case Template::error:
      return k_error;
    case Template::atom:
      return k_atom;
    default:
      break;
  }
  return self_service_template(which);
}

}  // namespace

const std::string_view k_stylesheet =
    R"(:root { color-scheme: light; --ink: #1a1a1a; --muted: #555; --line: #ddd; --mark: #fff3b0; --link: #0645ad; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: #fff; }
header { display: flex; flex-wrap: wrap; gap: .5em 1.5em; align-items: baseline; padding: .75em 1em; border-bottom: 1px solid var(--line); }
header .site { font-weight: 700; font-size: 1.2em; color: var(--ink); text-decoration: none; }
nav a { margin-right: 1em; }
main { max-width: 52em; margin: 0 auto; padding: 1em; }
footer { max-width: 52em; margin: 2em auto; padding: 1em; color: var(--muted); font-size: .9em; border-top: 1px solid var(--line); }
a { color: var(--link); }
h1 { font-size: 1.5em; line-height: 1.25; overflow-wrap: anywhere; }
h2 { font-size: 1.2em; margin-top: 1.5em; }
h3 { font-size: 1em; margin-bottom: .25em; }
.filters { display: flex; flex-wrap: wrap; gap: .5em 1em; align-items: end; margin-bottom: 1em; }
.filters select { max-width: 16em; }
.events, .timeline, .hits { padding-left: 1.2em; }
.events li, .hits li { margin-bottom: .9em; overflow-wrap: anywhere; }
.events p { margin: .2em 0; }
time { color: var(--muted); font-variant-numeric: tabular-nums; }
table.bills { width: 100%; border-collapse: collapse; }
table.bills th, table.bills td { text-align: left; vertical-align: top; padding: .35em .5em; border-bottom: 1px solid var(--line); overflow-wrap: anywhere; }
@media (max-width: 40em) { table.bills thead { display: none; } table.bills tr { display: block; border-bottom: 1px solid var(--line); padding: .4em 0; } table.bills td { display: block; border: 0; padding: .1em 0; } }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25em 1em; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.last { background: #f6f8fa; padding: .5em 1em; border-radius: 6px; }
.when { color: var(--muted); }
.text p { overflow-wrap: anywhere; white-space: pre-line; }
.text p.marked { background: var(--mark); padding: .25em .5em; }
.tag { display: inline-block; font-size: .8em; font-weight: 600; color: #6b4f00; }
del { background: #fdd; color: #900; }
ins { background: #dfd; color: #060; text-decoration: none; }
.diff-text { white-space: pre-wrap; overflow-wrap: anywhere; }
.hint { color: var(--muted); font-size: .9em; }
.error { color: #900; }
.notice { background: #eef6ee; padding: .5em 1em; border-radius: 6px; }
form.account label, form.follow label { display: block; margin: .35em 0; }
form.account input[type=email], form.account input[type=text], form.follow input[type=text] { width: 100%; max-width: 28em; padding: .4em; font: inherit; }
fieldset { border: 1px solid var(--line); border-radius: 6px; margin: 1em 0; padding: .5em 1em; }
legend { font-weight: 600; }
.choices { columns: 14em; }
.choices label { margin: .15em 0; }
details { margin: 1em 0; }
summary { cursor: pointer; font-weight: 600; }
button { font: inherit; padding: .45em 1.1em; border-radius: 6px; border: 1px solid #0645ad; background: #0645ad; color: #fff; cursor: pointer; }
button.quiet { background: #fff; color: #0645ad; }
form.inline { display: inline; margin-left: .5em; }
ul.subscriptions li { margin-bottom: .6em; }
.trap { position: absolute; left: -10000px; width: 1px; height: 1px; overflow: hidden; }
q { quotes: "“" "”"; color: var(--muted); }
)";

const std::string_view k_favicon =
    R"(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#0645ad"/><path d="M4 4h5a2.5 2.5 0 0 1 0 5H4zm0 5h6a2.5 2.5 0 0 1 0 5H4z" fill="none" stroke="#fff" stroke-width="1.5"/></svg>
)";

std::string render(Template which, const data& values) {
  kainjow::mustache::mustache tmpl{std::string(source_of(which))};
  if (!tmpl.is_valid()) {
    throw std::logic_error("template " + std::to_string(static_cast<int>(which)) + ": " +
                           tmpl.error_message());
  }
  return tmpl.render(values);
}

void set_text(data& values, const std::string& key, const std::string& value) {
  if (!value.empty()) values.set(key, value);
}

void set_text(object& values, const std::string& key, const std::string& value) {
  if (!value.empty()) values[key] = value;
}

std::string page(const std::string& site_name, const std::string& title,
                 const std::string& content_html) {
  data values;
  values.set("site", site_name);
  values.set("title", title);
  values.set("content", content_html);
  return render(Template::layout, values);
}

}  // namespace billwatch::web::detail
