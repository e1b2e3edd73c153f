## Owners' decisions (Civil Code Art. 278): the tally
matter-kind-ordinary = Ordinary matter (more than half)
matter-kind-special = Special matter (three quarters)
tally-summary =
    { $kind }
    Total exclusive area { $total_area } m², { $total_owners } owners
    Taking part: { $participating_area } m², { $participating_owners } owners — { $quorum }
    Yes: { $yes_area } m², { $yes_owners } owners; No: { $no_area } m², { $no_owners } owners
    Result: { $result }
tally-quorum-met = two-thirds quorum reached
tally-quorum-missed = two-thirds quorum not reached
tally-passed = passed
tally-not-passed = not passed
ballot-file-invalid = The ballot file has { $count } problem(s); nothing was tallied:
ballot-bad-header = Row { $row }: the header must be unit_code,choice (found: { $value })
ballot-bad-row = Row { $row }: two columns expected (found: { $value })
ballot-unknown-unit = Row { $row }: unit { $value } is not in this compound's register
ballot-unknown-choice = Row { $row }: unknown choice "{ $value }" (use yes/no/abstain or 同意/反对/弃权)
ballot-owner-conflict = The units { $value } of one owner carry different choices

## Owners' matters
matter-state-notice = on notice
matter-state-voting = voting
matter-state-closed = tallied, result to be published
matter-state-published = result published
matter-state-recorded = official result recorded
matter-view =
    [Matter] { $title } ({ $compound })
    { $kind } · { $state }
    Notice from: { $notice }
    Voting: { $start } to { $end }
    { $description }
matter-tally =
    Taking part: { $participating_area } / { $total_area } m², { $participating_owners } / { $total_owners } owners ({ $quorum })
    Yes: { $yes_area } m², { $yes_owners } owners; No: { $no_area } m², { $no_owners } owners — { $result }
matter-official = Official result (city e-voting system): { $result }
matter-my-choice = Your choice: { $choice } (you can change it until voting ends)
matter-no-choice = You have not voted yet.
matter-disclaimer = ⚠️ This bot only consults and records; a formal vote must go through the Beijing owners' e-voting system.
choice-yes = Yes
choice-no = No
choice-abstain = Abstain
btn-choice-yes = 👍 Yes
btn-choice-no = 👎 No
btn-choice-abstain = Abstain
btn-matter-start = Open voting
btn-matter-close = Close voting and tally
btn-matter-pub = Publish the result
btn-matter-official-yes = Record official result: passed
btn-matter-official-no = Record official result: not passed
matter-none = No matters yet.
matter-list-head = Matters ({ $count }):
matter-list-line = { $title } · { $state }
matter-opened = Opened; the compound's owners have been told.
matter-voted = Recorded: { $choice }
matter-notice-head = 📢 A new matter on notice
matter-vote-open-head = 🗳️ Voting has opened
matter-closed-head = Voting has closed; please publish the result in time.
matter-result-head = 📊 The result
matter-official-head = The official result is recorded
matter-publish-due-head = ⏰ Please publish the result soon
owners-none-pending = { $compound }: nobody is waiting to be confirmed as an owner.
owners-pending = { $compound }: { $count } resident(s) waiting to be confirmed as owners:
btn-owner-confirm = Confirm { $name } ({ $unit })
owner-confirmed = Confirmed as the owner of { $unit }.
error-matter-not-yet = Voting has not opened yet (opens { $at }).
error-matter-vote-over = Voting has closed; no more votes.
error-matter-not-over = Voting is still open (until { $at }).
error-matter-bad-text = The title must not be empty (at most 200 characters); the description at most 2000.
error-matter-bad-window = The voting window is wrong: it must end after it starts and after now, and the notice must not start after voting.
error-matter-bad-form = Wrong one-line form. Answer the questions one by one, or send: compound code; ordinary/special; title; description; first day; last day[; notice start] (dates like 2026-12-20).
error-matter-not-found = This matter was not found.
error-owner-binding-not-found = This unit binding was not found.

## Maintenance fund
fund-state-draft = draft
fund-state-notice = on public notice
fund-state-deciding = awaiting decision / approval
fund-state-approved = approved
fund-state-works = works under way
fund-state-accepted = works accepted
fund-state-settled = settled
fund-state-refused = refused
fund-path-ordinary = maintenance fund (owners decide)
fund-path-emergency = emergency use (approved after notice)
fund-path-district = district emergency repair fund
fund-view =
    [Maintenance fund #{ $id }] { $works } ({ $compound })
    Amount applied: ¥{ $amount } · { $path }
    State: { $state } · { $quotes } quote(s)
fund-matter = Owners' decision: { $title } ({ $state })
fund-actual = Actual cost: ¥{ $actual }
fund-balance = District emergency fund balance: ¥{ $balance }
fund-step-head = 🛠️ A maintenance-fund application moved
fund-drafted = Draft saved; check it, then submit it for public notice.
fund-settled = Settled.
fund-none = No maintenance-fund applications yet.
fund-list-head = Maintenance-fund applications ({ $count }):
fund-list-line = { $works } · { $state }
fund-settle-ask = Send the actual cost (yuan, at most two decimals).
fund-balance-set = The { $district } district emergency fund balance is now ¥{ $balance }.
btn-fund-submit = Submit for public notice
btn-fund-approve = Approve
btn-fund-start_works = Start works
btn-fund-accept = Accept the works
btn-fund-refuse = Refuse
btn-fund-link = Link owners' decision: { $title }
btn-fund-settle = Settle (actual cost)
error-fund-over-balance = The amount ¥{ $amount } is over the district emergency fund's balance ¥{ $balance }; the application cannot be accepted.
error-fund-needs-decision = Link an owners' decision that has passed (voting over, passed) first.
error-fund-matter-elsewhere = That owners' decision belongs to another compound.
error-fund-bad-form = Wrong one-line form. Answer the questions one by one, or send: compound code; works; amount in yuan; ordinary/emergency/district
error-fund-not-found = This maintenance-fund application was not found.
error-fund-balance-form = Send: /emergencyfund DISTRICT_CODE AMOUNT (yuan)
error-bad-amount = The amount "{ $amount }" is not valid: a positive number with at most two decimals.
funds-level-compound = compound
funds-level-district = district
funds-col-level = level
funds-col-code = code
funds-col-name = name
funds-col-count = applications
funds-col-applied = applied (yuan)
funds-col-settled = settled (yuan)
funds-col-balance = emergency fund balance (yuan)
funds-col-median-days = median days draft → approval
funds-title = Maintenance fund use { $period }
funds-sheet = Maintenance fund
funds-written = Written to { $path } ({ $rows } rows).

## Cost sharing (六个一点)
campaign-state-open = collecting
campaign-state-works = works under way
campaign-state-closed = accepted and closed
campaign-view =
    [Cost sharing] { $purpose } ({ $compound })
    Quantity: { $quantity } · ends { $end } · { $state }
campaign-progress =
    { $bar } { $percent }%
    Received ¥{ $received } of ¥{ $target } (pledged ¥{ $pledged })
campaign-source-line = · { $source }: pledged ¥{ $pledged }, received ¥{ $received }
campaign-names = Thanks to (named with their consent): { $names }
campaign-surplus = Final account: actual cost ¥{ $cost }, surplus ¥{ $amount }.
campaign-shortfall = Final account: actual cost ¥{ $cost }, shortfall ¥{ $amount }.
campaign-source-government = government (政府补)
campaign-source-street = street award (街道奖)
campaign-source-employer = local employers (单位帮)
campaign-source-property = property company (物业搭)
campaign-source-owners = owners (业主捐)
campaign-source-community = community (社区筹)
btn-campaign-pledge = Pledge
btn-campaign-rec = Record a pledge/receipt
btn-campaign-post = Post the ledger
btn-campaign-works = Start works
btn-campaign-close = Accept and close
campaign-opened = Opened; the ledger has been posted to the compound's residents.
campaign-none = No cost-sharing campaigns yet.
campaign-list-head = Cost-sharing campaigns ({ $count }):
campaign-list-line = { $purpose }
campaign-pledge-ask = Send the amount you pledge (yuan, at most two decimals); add "; public" to be named in the ledger, e.g.: 500; public
campaign-rec-ask = Send: pledge/receipt; source (政府补/街道奖/单位帮/物业搭/业主捐/社区筹 or government/street/employer/property/owners/community); amount; name[; public]
campaign-close-ask = Send the actual cost after acceptance (yuan).
campaign-pledged = Thank you for pledging ¥{ $amount }!
campaign-recorded = Recorded.
campaign-closed = Accepted and closed; the final account is posted.
campaign-ledger-head = 📒 Cost-sharing ledger
campaign-pledge-head = A new pledge
error-pledge-bad-amount = The pledge "{ $amount }" is not valid: a positive amount with at most two decimals.
error-campaign-ended = Pledges closed on { $end }.
error-campaign-bad-form = Wrong one-line form. Answer the questions one by one, or send: compound code; purpose; target; quantity; end date (e.g. 2026-12-31)
error-campaign-bad-entry = Wrong format. Send: pledge/receipt; source; amount; name[; public]
error-campaign-bad-source = There is no source "{ $source }" (政府补/街道奖/单位帮/物业搭/业主捐/社区筹).
error-campaign-not-found = This campaign was not found.
help-owners =
    🏘️ Owners decide (committee, community, street):
    /owners CODE confirm owners (only confirmed owners vote)
    /newmatter open a matter  /matters the matters
    /newfund maintenance-fund application  /funds the applications  /emergencyfund district fund balance (district admin)
    /newcampaign cost sharing (六个一点)  /campaigns the campaigns
