// The subscriber's pages: subscribe, confirm, manage, a new manage link, unsubscribe.
// Forms work without script (the site sends none): choices that depend on each other are
// radio buttons and a <details> that opens by itself.
#include "templates.hpp"

namespace billwatch::web::detail {

namespace {

// What to follow, shared by the subscribe form and the manage page's "follow more".
constexpr std::string_view k_follow_fields =
    R"(<fieldset><legend>What should billwatch tell you about?</legend>
<label><input type="radio" name="preset" value="state"{{#preset_state}} checked{{/preset_state}}> Everything in one state or Congress:</label>
<label class="indent">State <select name="state"><option value="">Choose…</option>{{#states}}<option value="{{code}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/states}}</select></label>
<label><input type="radio" name="preset" value="bans"{{#preset_bans}} checked{{/preset_bans}}> Any new ban or permission of restraint or seclusion, anywhere in the US</label>
<label><input type="radio" name="preset" value="custom"{{#preset_custom}} checked{{/preset_custom}}> Let me choose:</label>
<details{{#preset_custom}} open{{/preset_custom}}><summary>Choose states, kinds of provision and changes</summary>
<fieldset><legend>States</legend><p class="hint">None ticked: every state and Congress.</p>
<div class="choices">{{#states}}<label><input type="checkbox" name="jurisdiction" value="{{code}}"> {{name}}</label>{{/states}}</div></fieldset>
<fieldset><legend>What the bill does</legend><p class="hint">None ticked: any bill about restraint or seclusion.</p>
{{#categories}}<label><input type="checkbox" name="category" value="{{id}}"> {{name}}</label>{{/categories}}</fieldset>
<fieldset><legend>Which changes</legend><p class="hint">None ticked: every change.</p>
{{#kinds}}<label><input type="checkbox" name="event" value="{{id}}"> {{name}}</label>{{/kinds}}</fieldset>
<fieldset><legend>Only when a bill…</legend><p class="hint">None ticked: at every step.</p>
<div class="choices">{{#stages}}<label><input type="checkbox" name="stage" value="{{id}}"> {{name}}</label>{{/stages}}</div></fieldset>
<label>Only these bills (their ids, separated by commas) <input type="text" name="bills" maxlength="500" placeholder="WA-2025-HB-1795"></label>
<label>Only bills whose title mentions (words, separated by commas) <input type="text" name="keywords" maxlength="200" placeholder="seclusion"></label>
</details>
</fieldset>
)";

constexpr std::string_view k_frequency_fields =
    R"({{#frequencies}}<label><input type="radio" name="frequency" value="{{id}}"{{#checked}} checked{{/checked}}> {{name}}</label>{{/frequencies}})";

constexpr std::string_view k_subscribe = R"(<h1>Get alerts by mail</h1>
<p>billwatch reads the bills of Congress and every state on the restraint and seclusion of students, every day, and mails you when one you follow moves: a new bill, a new text, a vote, a signature.</p>
{{#problem}}<p class="error">{{problem}}</p>{{/problem}}
{{#closed}}<p class="error">Subscribing on this site is not set up. The people who run it can add you by hand; the <a href="/feeds/all.atom">feed</a> works without subscribing.</p>{{/closed}}
{{^closed}}<form method="post" action="/subscribe" class="account">
<label>Your email address <input type="email" name="email" required maxlength="254" autocomplete="email"></label>
{{{follow}}}
<fieldset><legend>How often?</legend>
{{{frequency}}}
</fieldset>
<div class="trap" aria-hidden="true"><label>Leave this empty <input type="text" name="website" tabindex="-1" autocomplete="off"></label></div>
<input type="hidden" name="form_token" value="{{form_token}}">
<p>We first send one mail to check the address is yours. Nothing else is sent until you open the link in it.</p>
<button>Send me the confirmation mail</button>
</form>
<p class="hint">Already receive alerts? Each one ends with a link to change them. Lost it? <a href="/manage">Get a new link</a>.</p>{{/closed}}
)";

constexpr std::string_view k_check_mail = R"(<h1>Check your mail</h1>
<p>{{message}}</p>
<p>The mail comes from billwatch. If it is not there in a few minutes, look in the spam folder.</p>
<p><a href="/">Recent changes</a></p>
)";

constexpr std::string_view k_confirm = R"({{#ask}}<h1>Confirm your alerts</h1>
<p>You asked billwatch to tell you about:</p>
<ul>{{#items}}<li>{{.}}</li>{{/items}}</ul>
<p>How often: {{frequency}}.</p>
<form method="post" action="{{action}}"><input type="hidden" name="form_token" value="{{form_token}}"><button>Confirm</button></form>{{/ask}}
{{#done}}<h1>You are subscribed</h1>
<p>billwatch will tell you about:</p>
<ul>{{#items}}<li>{{.}}</li>{{/items}}</ul>
<p>How often: {{frequency}}.</p>
{{#welcome}}<p>A short welcome mail is on its way with a link to change, pause or stop your alerts at any time.</p>{{/welcome}}
{{^welcome}}<p>This request was confirmed before. Every alert ends with a link to change, pause or stop your alerts.</p>{{/welcome}}{{/done}}
{{#expired}}<h1>This link has expired</h1>
<p>Confirmation links work for 48 hours, and this one is older. <a href="/subscribe">Ask again</a>: it takes a minute.</p>{{/expired}}
{{#invalid}}<h1>This link does not work</h1>
<p>It may have been cut short when it was copied. Open the link in the confirmation mail again, or <a href="/subscribe">ask for a new one</a>.</p>{{/invalid}}
<p><a href="/">Recent changes</a></p>
)";

constexpr std::string_view k_manage = R"({{#ok}}<h1>Your alerts</h1>
{{#saved}}<p class="notice">{{saved}}</p>{{/saved}}
{{#problem}}<p class="error">{{problem}}</p>{{/problem}}
{{#paused}}<p class="notice">Your alerts are paused. Nothing is sent until you resume, and what happens meanwhile is not sent afterwards.</p>{{/paused}}
<h2>What you follow</h2>
<ul class="subscriptions">{{#subscriptions}}<li>{{text}}<form method="post" action="{{action}}" class="inline"><input type="hidden" name="form_token" value="{{form_token}}"><input type="hidden" name="do" value="remove"><input type="hidden" name="subscription" value="{{id}}"><button class="quiet">Remove</button></form></li>{{/subscriptions}}</ul>
{{^subscriptions}}<p>Nothing: no alerts are sent. Follow something below.</p>{{/subscriptions}}
<h2>How often</h2>
<form method="post" action="{{action}}" class="account"><input type="hidden" name="form_token" value="{{form_token}}"><input type="hidden" name="do" value="frequency">
{{{frequency}}}
<button>Save</button></form>
<h2>Pause</h2>
<form method="post" action="{{action}}"><input type="hidden" name="form_token" value="{{form_token}}">{{#paused}}<input type="hidden" name="do" value="resume"><button>Resume my alerts</button>{{/paused}}{{^paused}}<input type="hidden" name="do" value="pause"><button class="quiet">Pause my alerts</button>{{/paused}}</form>
<h2>Follow something more</h2>
<form method="post" action="{{action}}" class="follow"><input type="hidden" name="form_token" value="{{form_token}}"><input type="hidden" name="do" value="add">
{{{follow}}}
<button>Add</button></form>
<h2>Stop everything</h2>
<form method="post" action="{{unsubscribe}}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button class="quiet">Unsubscribe</button></form>
<p class="hint">Keep this page's address to yourself: it opens your alerts. <a href="/manage">Get a new link</a> if it was shared; the old one then stops working.</p>{{/ok}}
{{#invalid}}<h1>This link no longer works</h1>
<p>A manage link stops working when a newer one is sent, and may have been cut short when it was copied. Get a new one by mail:</p>
{{{new_link}}}{{/invalid}}
)";

constexpr std::string_view k_new_link = R"({{#heading}}<h1>Get a link to manage your alerts</h1>
<p>Give the address your alerts go to. If billwatch sends alerts there, it mails a new link to change, pause or stop them; links in earlier mails stop working.</p>{{/heading}}
{{#problem}}<p class="error">{{problem}}</p>{{/problem}}
{{#closed}}<p class="error">New links cannot be mailed from this site. Use the link at the bottom of your latest alert.</p>{{/closed}}
{{^closed}}<form method="post" action="/manage" class="account">
<label>Your email address <input type="email" name="email" required maxlength="254" autocomplete="email"></label>
<div class="trap" aria-hidden="true"><label>Leave this empty <input type="text" name="website" tabindex="-1" autocomplete="off"></label></div>
<input type="hidden" name="form_token" value="{{form_token}}">
<button>Send me a new link</button>
</form>{{/closed}}
)";

constexpr std::string_view k_unsubscribe = R"({{#ask}}<h1>Stop these alerts?</h1>
<p>One click and billwatch sends no more alerts to the address this link was mailed to.</p>
<form method="post" action="{{action}}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button>Unsubscribe</button></form>{{/ask}}
{{#done}}<h1>You are unsubscribed</h1>
<p>billwatch will send no more alerts to this address. An alert already on its way may still arrive.</p>{{/done}}
{{#already}}<h1>Already unsubscribed</h1>
<p>This address gets no alerts from billwatch.</p>{{/already}}
{{#invalid}}<h1>This link does not work</h1>
<p>It may have been cut short when it was copied. Use the unsubscribe link at the bottom of your latest alert, or your mail program's unsubscribe button.</p>{{/invalid}}
<p><a href="/">Recent changes</a> · <a href="/subscribe">Subscribe again</a></p>
)";

}  // namespace

std::string_view self_service_template(Template which) {
  switch (which) {
    case Template::subscribe:
      return k_subscribe;
    case Template::follow_fields:
      return k_follow_fields;
    case Template::check_mail:
      return k_check_mail;
    case Template::confirm:
      return k_confirm;
    case Template::manage:
      return k_manage;
    case Template::new_link:
      return k_new_link;
    case Template::frequency_fields:
      return k_frequency_fields;
    case Template::unsubscribe:
      return k_unsubscribe;
    default:
      break;
  }
  return {};
}

}  // namespace billwatch::web::detail
