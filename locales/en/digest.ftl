# Digests (handlers/digest.py, services/digest.py) and rectification plans, one plan per
# compound (handlers/plans.py, services/rectification*.py, bot/cli_plans.py)

## Digest text
digest-head-daily = 📋 { $org } · daily digest ({ $since } to { $until })
digest-head-weekly = 📋 { $org } · weekly digest ({ $since } to { $until })
digest-totals = New { $new } · open { $open } · overdue { $overdue } · escalated { $escalated }
digest-section-compounds = 🏘 By compound (new/open/overdue/escalated):
digest-section-categories = 🗂 By category (new/open/overdue/escalated):
digest-row = • { $name }: { $new } / { $open } / { $overdue } / { $escalated }
digest-waiting-community = 📥 In the community queue, taken by nobody: { $count }
digest-waiting-manager = 📥 In the company queue, taken by nobody: { $count }
digest-waiting-street = 📥 Escalated to the street: { $count }
digest-closed = ✅ Closed in this period: { $closed }
digest-ratings = ⭐ { $count } ratings, average { $average } stars (satisfied { $satisfied } · fairly satisfied { $basic } · dissatisfied { $dissatisfied })
digest-ratings-none = ⭐ No ratings in this period
digest-section-worst = ⚠️ Most overdue tickets:
digest-worst-line = • { $number } { $compound } · { $category } · overdue by { $late }
digest-worst-none = 👍 No overdue tickets
digest-section-plans = 🛠 Rectification plans:
digest-plan-line = • { $compound } { $quarter }: { $done }/{ $total } items done, { $overdue } overdue
btn-digest-ticket = Open { $number }

## Digest chart
digest-chart-title = { $org }: tickets
digest-chart-bars = Open and overdue tickets per compound
digest-chart-open = Open
digest-chart-overdue = Overdue
digest-chart-trend = New tickets per week, last four weeks
# a 7-day window of the trend, by its first and last day
digest-chart-week = { $first }–{ $last }

## /digest settings
digest-settings-head = 🔔 Your digest settings:
digest-saved = ✅ Saved. Your digest settings:
digest-setting-daily = • Daily digest (working days) at { $time }: { $state }
digest-setting-weekly = • Weekly digest (Mondays) at { $time }: { $state }
digest-state-on = on
digest-state-off = off
digest-settings-help = Send /digest on or /digest off to switch digests, /digest 07:30 to change the time, /digest now to see it now.
btn-digest-on = 🔔 On
btn-digest-off = 🔕 Off
btn-digest-time = { $time }
btn-digest-now = 📋 Show now
error-digest-not-available = Digests are for community workers, street officers and property managers.
error-digest-bad-time = "{ $text }" is not a time of day; write it like 07:30 (24-hour clock). Nothing was changed.

## Rectification plans (one plan per compound)
rx-default-title = { $compound } { $quarter } rectification plan
rx-opened = { $quarter } plan created
rx-exists = { $quarter } plan opened
rx-plan-head = 🛠 { $title }
    Compound: { $compound } · quarter: { $quarter }
    Progress: { $done }/{ $total } items done, { $overdue } overdue
rx-category = [{ $category }]
rx-category-empty = (no items yet)
rx-item-done = ✅ { $title } — { $owner } — due { $deadline }
rx-item-open = ⬜ { $title } — { $owner } — due { $deadline }
rx-item-overdue = ❗ { $title } — { $owner } — due { $deadline } (overdue)
btn-rx-done = ✅ Done: { $title }
btn-rx-add = ➕ Add an item
btn-rx-view = Open the plan
rx-none = There are no rectification plans in your area.
rx-list-head = { $count } rectification plans; tap one to open it:
rx-list-line = { $compound } { $quarter } ({ $done }/{ $total })
rx-pick-category = Choose the item's category:
rx-category-button = { $category }
rx-item-prompt = Send one message "item; owner code or account; deadline", category { $category }. For example:
    Clear the stairwell of building 3; YJWY; 2026-12-31
rx-item-added = ✅ Item "{ $title }" added.
rx-done-ok = ✅ Done: { $title }
rx-reminder = ⏰ Rectification item "{ $title }" ({ $compound } { $quarter }) has used { $percent }% of its time; please finish it by { $deadline }.
rx-overdue = ⚠️ Rectification item "{ $title }" ({ $compound } { $quarter }) is past its deadline { $deadline }; please finish it soon.
rx-escalation = 🚨 Rectification item "{ $title }" ({ $compound } { $quarter }, owner: { $owner }) was due { $deadline } and is not done; escalated to the { $level } level, please follow up.
rx-level-1 = street
rx-level-2 = district
error-rx-bad-quarter = "{ $quarter }" is not a quarter; write it like 2026Q3.
error-rx-plan-not-found = This rectification plan was not found.
error-rx-item-not-found = This rectification item was not found.
error-rx-not-allowed = You may not do this with the rectification plan.
error-rx-bad-owner = No owner "{ $owner }": give the code of a property company, community, street or department, or an account number.
error-rx-bad-deadline = The deadline "{ $deadline }" is not valid: write it like 2026-12-31, not before today.
error-rx-bad-item = Please send "item; owner code or account; deadline", e.g. Clear the stairwell; YJWY; 2026-12-31
error-rx-bad-title = The item's title must be 1 to 300 characters.
error-rx-bad-category = The category must be 1 to 32 characters.
error-rx-already-done = Item "{ $title }" is already done.
error-rx-file-invalid = The plan file is not valid: { $detail }

## Command line: gongzhi plan
plan-imported = Imported rectification plan #{ $plan } ({ $compound } { $quarter }, { $created }): { $added } items added, { $updated } updated, { $unchanged } unchanged.
plan-imported-created = new
plan-imported-existing = existing plan
plan-list-row = #{ $plan } { $compound } { $quarter } · { $title } · { $done }/{ $total } done, { $overdue } overdue
plan-list-empty = There are no rectification plans yet.
