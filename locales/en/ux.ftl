# First-hour experience (issue 11): bundled notices, opening a ticket's card

btn-open-ticket = 📋 Open { $number }
notice-bundle = 🔔 { $count } ticket notices for you:
notice-new-ticket-line = 🆕 New ticket { $number } · { $category } · { $place }

# Staff cards
card-deadlines = ⏱ First response by: { $first }{ $met } · { $second }
card-met = (responded)
card-resolution = Resolve by: { $due }
card-on-site = On site by: { $due }
card-overdue = ⚠️ Overdue: please handle it first
card-no-location = 📍 Location: not given by the resident
card-location = 📍 Location: { $coords } · Map: { $url }
card-location-near = 📍 Location: { $coords } (about { $metres } m from the compound) · Map: { $url }
card-level = 🚨 Escalated to the { $level } level
card-bounced = ↩️ Bounced by { $company } ({ $name }) as not theirs. Reason: { $note }
queue-line-overdue = ⚠️ overdue · { $number } · { $category } · { $state }

# Residents reporting
report-offer =
    Report this as a problem?
    Description: { $description }
    Photos: { $n }
    Tap “Report this” and pick a category; what you sent is filled in.
report-offer-no-text = (no text yet; you can add it later)
report-offer-dismissed = All right, nothing was submitted. Send /report when you need to.
btn-report-this = 📝 Report this
btn-not-now = Not now
report-prefilled =
    Filled in from what you sent:
    { $description }
    Photos so far: { $n } (at most { $max }). Send more, then tap “Done with photos”.
report-photo-kept = 📷 Photo received ({ $n } so far). Please describe the problem in words too.
report-edit-which = Which part do you want to change? The rest stays as it is.
report-edit-description =
    Current description: { $current }
    Send the new description.
btn-edit-description = Description
btn-edit-photos = Photos (send again)
btn-edit-location = Location
btn-edit-category = Category
btn-back = ↩️ Back
report-anonymous-on = ℹ️ Anonymous: the property staff handling it still see your name so they can reach you; community and street workers do not.
report-anonymous-off = ℹ️ If you report anonymously, only the property staff handling it see your name; community and street workers do not.
report-handler-company = { $name } will handle it.
report-handler-no-company = Your compound has no property company, so { $name } will handle it.
report-handler-community = “{ $category }” problems are the community's job: { $name } will handle it.
rerouted-why = Why: { $company } said it is not theirs ({ $note }), so the community takes it over.

# Greetings and command menus by role
welcome-worker = Hello, { $name }! This is the Gongzhi workbench: open tickets, statistics and digests, rectification and whistles.
help-short-worker = Send /help to see the commands you can use.
cmd-report = Report a problem
cmd-my = My tickets
cmd-matters = Owners' matters (notices, votes)
cmd-campaigns = Cost-sharing campaigns
cmd-council = Compound council
cmd-queue = Open tickets
cmd-stats = Response, resolution and satisfaction rates
cmd-digest = Digest on/off and time
cmd-plan = Rectification plans
cmd-whistle = Whistle and report-in
cmd-help = Help
cmd-lang = Language
cmd-cancel = Cancel the current step
