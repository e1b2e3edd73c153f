## Opening a matter, a fund application or a campaign, step by step (handlers/owners_new.py)
btn-form-done = Done
btn-form-skip = Skip (use the default)
form-photos-kept = { $count } photo(s) kept. Send more, or tap Done.
error-form-bad-day = "{ $text }" is not a date. Send it as YYYY-MM-DD, e.g. 2026-12-20.
error-form-bad-text = Please send some text (at most { $max } characters; this was { $length }).
error-form-not-yours = You cannot open this for { $compound }. Send the code of a compound you organise, or /cancel.
error-form-photos-expected = Send the quotes as photos, or tap Done.

matter-ask-compound = New matter. Which compound? Tap one, or send its code.
matter-ask-kind = Which kind of matter? A special one (Art. 278: raising or using the maintenance fund, rebuilding, changing the use…) needs three quarters.
matter-ask-title = The title (at most 200 characters):
matter-ask-description = A description for the owners (at most 2000 characters):
matter-ask-first = The first voting day (YYYY-MM-DD, e.g. 2026-12-20):
matter-ask-last = The last voting day (YYYY-MM-DD):
matter-ask-notice = When does the public notice start (YYYY-MM-DD)? Skip: 15 days before voting (Beijing regulation).
matter-notice-default = { $days } days before voting
matter-review =
    Please check the new matter:
    Compound: { $compound }
    { $kind }
    Title: { $title }
    { $description }
    Voting: { $first } to { $last }
    Notice from: { $notice }
error-matter-stale = This button is out of date: the matter has moved on.
error-matter-not-allowed = Only the compound's committee or community workers can do this; only confirmed owners vote, for their own units.

fund-ask-compound = New maintenance-fund application. Which compound? Tap one, or send its code.
fund-ask-works = Which works? (e.g. Roof waterproofing of building 3, at most 300 characters)
fund-ask-amount = The amount applied for, in yuan (at most two decimals, e.g. 86000 or 86000.50):
fund-ask-emergency = Is it emergency use (roof leak, exterior insulation, elevator)?
fund-emergency-yes = Yes, emergency use
fund-emergency-no = No, ordinary use (owners decide)
fund-ask-source = Which fund pays?
fund-source-own = The compound's own maintenance fund
fund-source-district = The district emergency repair fund (compound without a fund)
fund-ask-quotes = Send the quotes as photos, then tap Done (or Done without photos).
fund-review =
    Please check the application:
    Compound: { $compound }
    Works: { $works }
    Amount: ¥{ $amount } · { $path }
    Quotes: { $quotes }
error-fund-stale = This button is out of date: the application has moved on.
error-fund-not-allowed = Your role cannot do this step of a maintenance-fund application.

campaign-ask-compound = New cost-sharing campaign (六个一点). Which compound? Tap one, or send its code.
campaign-ask-purpose = The purpose (e.g. Paving the lanes, at most 300 characters):
campaign-ask-target = The target amount in yuan (at most two decimals):
campaign-ask-quantity = The quantity of works (e.g. 1798 m², at most 40 characters), or Skip:
campaign-ask-end = The end date (YYYY-MM-DD):
campaign-review =
    Please check the campaign:
    Compound: { $compound }
    Purpose: { $purpose }
    Target: ¥{ $target } · quantity { $quantity }
    Ends: { $end }
error-campaign-bad-end = The end date must be today ({ $today }) or later.
error-campaign-stale = This button is out of date: the campaign has moved on.
error-campaign-not-allowed = Your role cannot do this in a cost-sharing campaign (residents pledge; the committee or community record and close).

error-owners-stale = This button is out of date.
error-owners-not-allowed = Only the compound's committee or community workers confirm owners.
