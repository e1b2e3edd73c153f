# Statistics, hotline intake, ranking and exports (services/metrics.py, hotline.py, ranking.py,
# export.py; handlers/stats.py; bot/cli_reports.py)

metrics-none = —

## periods
period-running = (period not over yet: provisional figures)

## /stats
stats-head = 📊 Tickets of { $scope }
stats-block =
    { $period }: received { $total }, valid { $valid }
    Response { $response } · Resolution { $resolution } · Satisfaction { $satisfaction }
    Score { $score }
# a rate and the tickets not yet due (not counted yet)
stats-rate = { $rate }{ $pending ->
        [0] {""}
       *[other] { " " }({ $pending } not yet due)
    }
stats-bounced = Passed to the community by the property company as "not ours": { $count }
stats-standard = Property service standard rate { $rate }
stats-rectification = Rectification on-time rate { $rate }
stats-foot = Response and resolution rates count only tickets answered (resolved) or past their deadline; those not yet due are listed beside them; a ticket passed to the community gets a new response deadline. Score: weighted response { $w_response } / resolution { $w_resolution } / satisfaction { $w_satisfaction } (out of 100); satisfaction = (satisfied + { $basic_weight } × basically satisfied) ÷ rated; "—" means nothing to compute.
btn-stats-earlier = ◀ { $period }
btn-stats-later = { $period } ▶

## metrics columns (gongzhi report metrics)
metrics-col-level = Level
metrics-col-code = Code
metrics-col-name = Name
metrics-col-compounds = Compounds
metrics-col-total = Received
metrics-col-valid = Valid
metrics-col-responded = Answered on time
metrics-col-response-pending = Response not yet due
metrics-col-resolved = Resolved
metrics-col-resolution-pending = Resolution not yet due
metrics-col-bounced = Passed to the community
metrics-col-rated = Rated
metrics-col-satisfied = Satisfied
metrics-col-basic = Basically satisfied
metrics-col-response-rate = Response rate
metrics-col-resolution-rate = Resolution rate
metrics-col-satisfaction-rate = Satisfaction rate
metrics-col-composite = Score
metrics-col-standard-rate = Property service standard rate
metrics-col-rectification-rate = Rectification on-time rate
metrics-level-compound = Compound
metrics-level-company = Property company
metrics-level-community = Community
metrics-level-street = Street
metrics-level-district = District
metrics-title = 12345 rates by { $level }, { $period }: { $start } to { $end }
metrics-sheet = Rates
metrics-written = Wrote { $path } ({ $rows } rows).

## quarterly ranking
ranking-head = 📋 { $district } { $quarter }: compounds with the most 12345 hotline complaints (top { $top }, at least { $min } to rank):
ranking-line = { $rank }. { $name } ({ $code }): { $count }
ranking-empty = { $district } { $quarter }: no compound reached { $min } hotline complaints; no ranking this quarter.
ranking-foot = Please draw up a rectification plan for each ranked compound; tap a compound to start.
btn-ranking-plan = Plan: { $name }
ranking-sent = { $count } ranking notifications written.

## 12345 hotline intake (gongzhi hotline import)
hotline-summary = Hotline import done: { $created } tickets created, { $duplicates } duplicate rows skipped, { $rejected } rows rejected.
hotline-created-line = Created { $number }
hotline-duplicate-line = Duplicate: row { $row } (order { $order }) { $reason }
hotline-rejected-line = Rejected: row { $row } (order { $order }) { $reason }
hotline-dry-run = (dry run: nothing was saved)
hotline-reason-missing-order-no = no order number
hotline-reason-order-no-too-long = order number longer than 64 characters
hotline-reason-bad-date = received_at not understood: { $detail } (use 2026-11-20 09:31 or ISO 8601)
hotline-reason-future-date = received_at is in the future: { $detail }
hotline-reason-unknown-compound = no compound with code { $detail }
hotline-reason-no-compound = no compound found for the address: { $detail }
hotline-reason-ambiguous-address = the address fits more than one compound: { $detail }
hotline-reason-empty-content = empty complaint text
hotline-reason-content-too-long = complaint text too long ({ $detail } characters)
hotline-reason-bad-phone = caller phone not understood: { $detail }
hotline-reason-duplicate-in-file = same order number as row { $detail } of this file
hotline-reason-already-imported = this order was imported before

## ticket export (gongzhi export tickets)
export-col-number = Ticket
export-col-received-at = Received
export-col-compound-code = Compound code
export-col-compound-name = Compound
export-col-category = Category
export-col-priority = Priority
export-col-source = Source
export-col-state = State
export-col-queue = Queue
export-col-escalation-level = Escalation level
export-col-reopen-count = Reopened
export-col-acknowledged-at = Answered
export-col-resolved-at = Resolved
export-col-closed-at = Closed
export-col-first-response-due = Response due
export-col-resolution-due = Resolution due
export-col-rating = Rating
export-col-satisfaction = Satisfaction
export-col-reject-reason = Reject reason
export-col-reporter-kind = Reporter type
export-col-reporter = Reporter
export-col-phone = Phone
export-col-external-ref = Hotline order
export-col-description = Complaint
export-source-chat = chat
export-source-hotline = 12345 hotline
export-source-staff = entered by staff
export-queue-property = property company
export-queue-community = community
export-reporter-named = named
export-reporter-anonymous = anonymous
export-reporter-hotline = hotline caller
export-reporter-none = none
export-hidden = (hidden)
export-title = Ticket export { $period }: { $start } to { $end } (by time received)
export-sheet = Tickets
export-written = Exported { $rows } tickets to { $path }.
export-masked-note = Phones masked, anonymous reporters hidden; an admin can export everything under their admin grants with --unmasked --as ACCOUNT_ID (recorded in the audit log).

## errors
error-bad-period = Period "{ $text }" not understood. Use 2026Q3 (quarter), 2026-11 (month) or --from/--to dates.
error-bad-date = Date "{ $text }" not understood; use the form 2026-10-01.
error-period-conflict = Use either --period or --from/--to, not both.
error-period-missing = Give the period with --period (e.g. 2026Q3) or --from/--to.
error-not-a-quarter = "{ $text }" is not a quarter; use the form 2026Q3.
error-hotline-bad-header = The hotline file lacks these columns: { $missing }. The first row must be: order_no,received_at,address,compound_code,category,content,caller_phone
error-hotline-bad-encoding = The hotline file's encoding is not understood; save it as UTF-8 CSV.
error-export-not-admin = Account { $account } does not hold the admin role and cannot export unmasked data.
error-export-needs-admin = An unmasked export needs an admin account id: --as ACCOUNT_ID.
error-stats-not-allowed = Statistics are for property, community and street workers and admins.
error-file-not-found = File { $path } not found.
