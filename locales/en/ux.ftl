# First-hour experience (issue 11): bundled notices, opening a ticket's card

btn-open-ticket = 📋 Open { $number }
notice-bundle =
    🔔 { $count } ticket notices for you:
    { $lines }
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
