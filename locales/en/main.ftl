## General
plain = { $text }
yes = yes
no = no
skipped = Skipped.
text-clipped = … (too long, cut short)
cancelled = Cancelled.
nothing-to-cancel = Nothing to cancel.
welcome = Hello, { $name }! This is Gongzhi, your compound's service assistant: report problems, follow progress, rate the service.
help-short = Use the commands: /report to report a problem, /my for your tickets, /help for help.
help-resident =
    📋 Commands for residents:
    /report report a problem (leak, elevator, heating, noise…)
    /my your tickets and their progress
    /matters owners' matters: notices and votes (owners)
    /campaigns cost sharing (六个一点): pledges and the ledger
    /lang change language
    /cancel cancel what you are doing
    /council compound councils: propose items, read agendas and minutes
help-staff =
    🛠 Commands for staff:
    /queue open tickets, oldest first
    Use the buttons on a ticket card to acknowledge, take, ask the resident, resolve or reject; reply to a ticket message to talk to the resident.
    /lang change language
welcome-sandbox = This is the local sandbox; it does not connect to Telegram.
lang-choose = 请选择语言 / Choose a language:
lang-name-zh_CN = 简体中文
lang-name-en = English
lang-set = Language set to English.

## Joining
joined-role = ✅ You joined "{ $org }" as { $role }.
joined-compound = 🏠 Welcome to "{ $compound }"! Send your unit number (e.g. 3-2-501: building-entrance-room) or tap "Skip".
unit-ask-again = Send your unit number (e.g. 3-2-501) or tap "Skip".
unit-saved = Unit { $unit } recorded; it takes effect once the property staff confirm it.

role-resident = resident
role-staff = property staff
role-manager = property manager
role-community = community worker
role-street = street officer
role-department = department
role-committee = owners' committee member
role-admin = administrator

## Categories, priorities, states
category-heating = Heating
category-leak = Leak / seepage
category-drain = Drain / blockage
category-elevator = Elevator
category-power_water = Water / power outage
category-sanitation = Sanitation
category-greenery = Greenery
category-parking = Parking
category-fees = Fees
category-ev_charging = EV charging
category-fire_lane = Clutter / fire lane
category-renovation = Renovation
category-noise = Noise
category-dogs = Dogs
category-illegal_building = Illegal building
category-group_rental = Group rental
category-other = Other
priority-emergency = emergency
priority-urgent = urgent
priority-normal = normal
state-new = new
state-acknowledged = acknowledged
state-in_progress = in progress
state-waiting_resident = waiting for resident
state-resolved = resolved (awaiting confirmation)
state-closed = closed
state-rejected = rejected

## Reporting
report-choose-compound = Which compound is this about?
report-choose-category = Choose the kind of problem:
report-category-chosen = Category: { $category }
report-describe = Describe the problem in words (where, what, since when), at most { $max } characters.
report-photos = You may send photos (up to { $max }); tap "Done with photos" when finished, or right away if you have none.
report-photos-expected = Send photos now, or tap "Done with photos" to continue.
report-photo-received = Photo { $n } received (up to { $max }).
report-location = You may send a location (📎 → Location), or tap "No location".
report-location-expected = Send a location, or tap "No location".
report-review =
    Please check:
    Compound: { $compound }
    Category: { $category }
    Description: { $description }
    Photos: { $photos }
    Location: { $location }
    Anonymous: { $anonymous }
    { $privacy }
report-submitted =
    ✅ Submitted as ticket { $number }. Expect a response by { $due }. Use /my to follow it.
    { $handler }
report-cancelled = Report cancelled; nothing was saved.

## Buttons
btn-cancel = Cancel
btn-skip = Skip
btn-photos-done = Done with photos
btn-no-location = No location
btn-submit = ✅ Submit
btn-edit = ✏️ Edit
btn-anonymous = Anonymous on/off
btn-ack = Acknowledge
btn-take = Take
btn-ask = Ask resident
btn-resolve = Resolve
btn-reject = Reject
btn-fixed-yes = 👍 Fixed
btn-fixed-no = 👎 Not fixed
btn-stars = { $n }★
btn-reply = Reply
btn-answer = Answer
btn-add-info = Add information
btn-prev = ◀ Previous
btn-next = Next ▶
btn-no-note = No note
btn-no-comment = No comment

## Ticket card
ticket-card =
    📌 Ticket { $number } ({ $state })
    Where: { $place }
    Category: { $category } · { $priority }
    Description: { $description }
    Photos: { $photos } · Reporter: { $reporter }
    Submitted: { $created }
    { $details }
ticket-card-resident =
    📌 Ticket { $number } ({ $state })
    Where: { $place }
    Category: { $category }
    Description: { $description }
    Photos: { $photos }
    Submitted: { $created } · Expected by: { $due }
reporter-hotline = 12345 hotline ({ $phone })
reporter-anonymous = anonymous
reporter-anonymous-handler = { $name } (anonymous, visible to handling staff only)
reporter-named = { $name }

## Staff
staff-ask-prompt = Type the question for the resident (ticket { $number }). The deadline clock pauses while waiting.
staff-resolve-prompt = Type a resolution note (ticket { $number }), or tap "No note".
staff-reject-prompt = Why reject ticket { $number }?
staff-duplicate-prompt = Type the number of the original ticket (e.g. PG-2026-000001).
reject-reason-not-responsible = Not the property's job (to community)
reject-reason-duplicate = Duplicate
reject-reason-invalid = Invalid
done-acknowledged = Acknowledged { $number }
done-taken = Took { $number }
done-rejected = Ticket { $number } rejected.
done-rerouted = Ticket { $number } passed to the community.
done-asked = Question sent to the resident (ticket { $number }).
done-resolved = Ticket { $number } resolved; waiting for the resident to confirm.
relayed-to-resident = Passed on to the resident (ticket { $number }).
queue-empty = 🎉 No open tickets.
queue-head = { $total } open tickets (page { $page }/{ $pages }), oldest from { $oldest }:
queue-line = { $number } · { $category } · { $state }

## A resident's tickets
my-empty = You have no tickets yet. Use /report to report a problem.
my-head = Your tickets: { $total } (page { $page }/{ $pages }). Tap one to see its progress:
my-line = { $number } · { $category } · { $state }
history = 🕘 History:
history-created = { $at } submitted
history-acknowledged = { $at } acknowledged
history-assigned = { $at } assigned
history-asked = { $at } staff asked: { $text }
history-staff-message = { $at } staff: { $text }
history-resident-message = { $at } you added: { $text }
history-resolved = { $at } resolved: { $text }
history-rejected = { $at } rejected
history-rerouted = { $at } passed to the community
history-reopened = { $at } you said not fixed; reopened
history-confirmed = { $at } you confirmed it fixed
history-rated = { $at } you rated it
history-rating-comment = { $at } comment: { $text }
history-escalated = { $at } escalated
history-auto-closed = { $at } closed automatically (no confirmation)
resident-add-prompt = Type the information to add or send photos (ticket { $number }).
resident-answer-prompt = Type your answer to the staff's question (ticket { $number }).
resident-added = Passed on to the staff (ticket { $number }).
confirm-closed = Thanks! Ticket { $number } is closed.
rate-prompt = Please rate the service (ticket { $number }):
confirm-reopened = Ticket { $number } reopened (time { $count }); the staff will follow up.
rated = Thanks for rating { $stars }★ (ticket { $number }). Add a comment, or tap "No comment".
comment-saved = Comment saved (ticket { $number }). Thank you!
satisfaction-satisfied = satisfied
satisfaction-basic = fairly satisfied
satisfaction-dissatisfied = dissatisfied

## Notifications
notice-new-ticket = 🔔 New ticket { $number }
notice-resident-message = 💬 Ticket { $number }, the resident adds: { $text }
notice-resident-answered = 💬 Ticket { $number }, the resident answers: { $text }
notice-staff-message = 💬 Ticket { $number }, staff: { $text }
    (reply to this message to answer)
notice-question = ❓ Ticket { $number }: the staff ask: { $text }
    Tap "Answer" or reply to this message.
notice-acknowledged = 📥 Your ticket { $number } was acknowledged.
notice-taken = 👷 Ticket { $number } was taken by { $staff }.
notice-rejected = ⚠️ Ticket { $number } was rejected: { $reason }. { $other }
notice-rerouted = ↪️ Ticket { $number } was passed to { $community }.{ $why }
notice-resolved = ✅ Ticket { $number } resolved: { $note }
    Is the problem fixed?
no-note = (no note)
notice-reopened = 🔁 Ticket { $number }: the resident says it is not fixed (reopened { $count } times). Please continue.
notice-rated = ⭐ Ticket { $number } rated { $stars }★ ({ $level }).
notice-rating-comment = 📝 Ticket { $number }, the resident's comment: { $text }

## Errors
error-generic = Sorry, something went wrong. Please try again later.
error-try-again = The service is briefly unavailable. Nothing is lost: your message will be handled as soon as it is back — or try again shortly.
error-unknown-button = This button is not recognised.
error-unknown-command = There is no /{ $command } command. Send /help to see the commands.
error-stale-button = This button has expired; please start again.
error-use-buttons = Please tap one of the buttons above, or send /cancel.
error-not-allowed = You are not allowed to handle this ticket.
error-ticket-not-found = Ticket not found.
error-invalid-state = Ticket { $number } is { $state }; this action is not possible now.
error-description-empty = The description cannot be empty; please describe the problem.
error-unsupported-message = This kind of message is not supported (stickers, voice, video, files…). Please send text, photos or a location.
error-description-too-long = The description is too long ({ $length } characters); keep it within { $max }.
error-too-many-photos = At most { $max } photos; tap "Done with photos".
error-text-expected = Please send text.
error-text-too-long = Too long ({ $length } characters); keep it within { $max }.
error-not-a-resident = You have not joined a compound yet. Use the compound's QR code or link from the property company or community first.
error-private-only = Please use this command in a private chat with the bot.
error-not-staff = This command is for property and community staff.
error-invite-invalid = This invite link is not valid.
error-invite-used = This invite link has already been used.
error-invite-expired = This invite link has expired; ask an administrator for a new one.
error-invite-throttled = Too many invalid invite codes; please try again in { $minutes } minutes, or ask an administrator.
error-compound-not-found = Compound not found; please check the link.
error-unit-not-found = Unit { $unit } not found; check it and send it again (e.g. 3-2-501), or tap "Skip".
error-bad-start-link = This link is not recognised; please check it.
error-no-reporter = Ticket { $number } came from the hotline; there is no resident account to contact.
error-already-yours = You are already handling ticket { $number }.
error-cannot-reroute = Ticket { $number } is already in the community queue.
error-duplicate-not-found = Original ticket { $number } not found; check the number.
error-unknown-reason = Unknown reason.
error-already-rated = Ticket { $number } is already rated.
error-not-rated = Please give stars before a comment.
error-already-commented = Ticket { $number } already has a comment.
error-bad-rating = Ratings are 1 to 5 stars.
error-unknown-category = Unknown category.
error-no-community = Compound "{ $compound }" belongs to no community; contact an administrator.
error-role-scope = The role { $role } cannot be granted on "{ $org }".
error-org-not-found = Organisation { $org_code } not found.

## Command line
cli-no-token = GONGZHI_BOT_TOKEN is not set: starting the local sandbox (no Telegram).
cli-schema-outdated = The database schema is out of date. Run `gongzhi db upgrade` first, or `gongzhi run --upgrade`.
cli-db-revision = Database revision: { $current } (latest: { $head })
cli-invite-expires = Single use; expires { $expires }.
error-org-file-invalid = The org file is invalid:
    { $detail }
cli-org-line = { $kind }: { $created } created, { $updated } updated, { $unchanged } unchanged
cli-org-rules = Default routing rules added: { $count }
org-kind-district = districts
org-kind-company = property companies
org-kind-street = streets
org-kind-department = departments
org-kind-community = communities
org-kind-compound = compounds
org-kind-building = buildings
org-kind-unit = units
help-governance =
    📊 For community, street and management staff:
    /stats response, resolution and satisfaction rates with the composite score
    /digest daily/weekly digest on/off and time (e.g. /digest 07:30)
    /plan rectification plans (one plan per compound) and their items
    /whistle whistle records (blow one with “🔔” on a ticket card), /whistle N shows one
    /council councils: /council new schedules one; items, decisions, minutes
error-holidays-file-missing = The holiday file { $path } cannot be opened ({ $reason }). Check GONGZHI_HOLIDAYS_FILE.
error-holidays-file-yaml = The holiday file { $path } is not valid YAML (near line { $line }).
error-holidays-file-shape = The holiday file { $path } has the wrong shape: it holds three lists of dates, holidays / workdays / not_holidays.
error-holidays-file-unknown-keys = The holiday file { $path } has unknown keys: { $keys } (only holidays, workdays, not_holidays).
error-holidays-file-date = "{ $value }" in the holiday file { $path } is not a date (write it as 2027-01-01).
error-holidays-file-in-both = The holiday file { $path } lists dates under both { $first } and { $second }: { $dates }.
calendar-no-workdays = ⚠️ The calendar has no make-up working days (调休) for { $year }: that year's deadlines follow the plain weekday rule. Update the holidays package or list them under workdays in GONGZHI_HOLIDAYS_FILE.
