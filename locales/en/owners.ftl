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
