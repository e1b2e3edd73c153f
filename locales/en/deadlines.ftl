# Deadlines, reminders, escalation and auto-close (services/tick.py, handlers/notices_deadlines.py)

deadline-target-first-response = first response
deadline-target-resolution = resolution
deadline-target-on-site = on-site arrival

deadline-reminder-first-response = ⏰ Ticket { $number } has used { $percent }% of its first-response time. Please respond by { $due }.
deadline-reminder-resolution = ⏰ Ticket { $number } has used { $percent }% of its resolution time. Please resolve it by { $due }.
deadline-reminder-on-site = ⏰ Ticket { $number } has used { $percent }% of its on-site time. Please be on site by { $due }.
deadline-reminder-paused = ⏰ Ticket { $number } has used { $percent }% of its { $target } time; the clock is paused while we wait for the resident.
deadline-overdue = ⚠️ Ticket { $number } is past its { $target } deadline ({ $due }) by { $late }. Please act now.

deadline-level-1 = community
deadline-level-2 = street (town)
deadline-level-3 = district

deadline-reason-first-response-overdue = no first response in time
deadline-reason-resolution-overdue = not resolved in time
deadline-reason-on-site-overdue = nobody on site in time
deadline-reason-level-overdue = the previous level did not resolve it in time
deadline-reason-reopened = the resident reopened it again
deadline-reason-dissatisfied = the resident is dissatisfied
deadline-reason-whistle = whistle blown

deadline-escalation = 🚨 Ticket { $number } has been escalated to the { $level } level ({ $reason }). Please follow up.
deadline-escalation-late = 🚨 Ticket { $number } has been escalated to the { $level } level ({ $reason }, { $late } late). Please follow up.

deadline-auto-closed = ✅ Ticket { $number } was closed automatically: we had no answer from you { $days } days after it was resolved. If the problem persists, please report it again. You are welcome to rate the service.

deadline-late-minutes = { $minutes } min
deadline-late-hours = { $hours } h { $minutes } min
deadline-late-days = { $days } d { $hours } h

# command line: gongzhi sla
sla-list-title = SLA targets (category · priority · first response · resolution · on site; * = any category, bd = business days)
sla-list-row = { $category } · { $priority } · first response { $first } · resolution { $resolution } · on site { $onsite }
sla-level-title = Escalation deadlines (level · priority · deadline)
sla-level-row = level { $level } ({ $name }) · { $priority } · { $deadline }
sla-seeded = Added { $count } default rows.
error-bad-span = Cannot read the span "{ $text }": write 15m, 2h, 1bd (business days), 3d (24-hour days, 24x7 only)…
error-unknown-priority = Unknown priority { $priority } (emergency, urgent or normal).
error-unknown-target = Unknown target { $target }.
error-first-response-required = The first-response target cannot be removed.
error-nothing-to-change = Give at least one target, e.g. --first-response 2h.
error-unknown-level = There is no level { $level } (1 community, 2 street, 3 district).
