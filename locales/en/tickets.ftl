## Ticket state machine and cards

ticket-photos = 📷 Photos of ticket { $number } ({ $n })
ticket-card-moved =
    { $card }
    ↪️ Now handled by “{ $to }”; nothing more to do here.
staff-reroute-reason-prompt = Why is ticket { $number } not your company's responsibility? (up to { $max } characters; the community will see this)
staff-reroute-confirm =
    Hand ticket { $number } over to the community?
    Reason: { $note }
btn-confirm-reroute = ✅ Hand over to the community
error-taken-by-other = Ticket { $number } was already taken by { $name }; ask your manager to reassign it.
