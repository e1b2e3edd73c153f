# First-hour experience (issue 11): bundled notices, opening a ticket's card

btn-open-ticket = 📋 Open { $number }
notice-bundle =
    🔔 { $count } ticket notices for you:
    { $lines }
notice-new-ticket-line = 🆕 New ticket { $number } · { $category } · { $place }
