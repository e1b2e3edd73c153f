# Problems in files a person hands us: org files, rectification plans, hotline CSV rows
# (services/validation.py maps pydantic's error types to these keys; locales/problems.py
# renders them with where they are).

## Where
validation-at-file = the file
validation-at-row = row { $row }
validation-at-cell = row { $row }, column { $column }
validation-problem = { $where }: { $message }
validation-more = … and { $count } more problems
validation-org-file-invalid = The org file is invalid ({ $count } problems); nothing was imported:
validation-plan-file-invalid = The plan file is invalid ({ $count } problems); nothing was imported:

## What (general)
validation-missing = required, but missing or empty
validation-unknown-field = unknown field (check the spelling)
validation-text = should be text
validation-text-empty = should not be empty
validation-text-too-long = too long: { $length } characters, at most { $max }
validation-pattern = does not have the expected form ({ $pattern })
validation-whole-number = should be a whole number
validation-number = should be a number
validation-at-least = should be at least { $limit }
validation-more-than = should be more than { $limit }
validation-at-most = should be at most { $limit }
validation-less-than = should be less than { $limit }
validation-list = should be a list
validation-mapping = should be a mapping (key: value)
validation-too-few = too few values (at least { $min })
validation-too-many = too many values (at most { $max })
validation-yes-no = should be true or false (yes/no)
validation-date = should be a date like 2026-12-31
validation-invalid = not valid
validation-control-characters = contains control characters (a damaged file?)
validation-line-break = should be on one line
validation-file-type = { $file }: unsupported file type (use .yaml, .yml or .csv)
validation-file-unreadable = { $file } cannot be read
validation-encoding = { $file }: encoding not understood; save it as UTF-8
validation-yaml-syntax = YAML syntax error at line { $line }, column { $column }

## Org files
validation-code = code "{ $value }" should be 1 to { $max } letters, digits, - or _
validation-ticket-prefix = ticket prefix "{ $value }" should be 1 to 8 letters or digits
validation-timezone = unknown time zone "{ $value }" (e.g. Asia/Shanghai)
validation-generator-incomplete = a generated building needs entrances, floors, per_floor and area together
validation-generator-areas = expected { $expected } areas (one per unit on a floor), got { $got }
validation-generated-code-too-long = generated unit code "{ $code }" is longer than { $max } characters
validation-duplicate-code = code "{ $code }" is used twice (also at { $other })
validation-duplicate-building = building "{ $code }" twice in this compound (also at { $other })
validation-duplicate-unit = unit "{ $code }" twice in this compound (also at { $other })
validation-unknown-parent = no street or district with code "{ $code }" in the file
validation-unknown-company = no property company with code "{ $code }" in the file
validation-code-in-use = code "{ $code }" already belongs to { $kind ->
    [district] a district
    [street] a street
    [community] a community
    [compound] a compound
    [company] a property company
    [department] a department
   *[other] another record
} in the database
validation-csv-unknown-column = unknown column
validation-csv-missing-columns = missing columns: { $columns }
validation-csv-no-rows = no unit rows
validation-csv-conflict = differs from row { $first_row } for the same code
validation-csv-second-district = a file holds one district; this row names a second one
validation-csv-company-name = company_name is needed when company_code is given

## Rectification plans
validation-quarter = quarter "{ $value }" should be written like 2026Q3
validation-plan-duplicate-item = item "{ $title }" twice in the same category (also at { $other })
validation-unknown-compound = no compound with code "{ $code }"
validation-unknown-owner = no owner "{ $owner }": give the code of a property company, community, street or department, or an account number

## Hotline rows
hotline-malformed-row = malformed row (a stray double quote?); this row was skipped, the rows after it were read normally
hotline-date-format = time "{ $value }" not understood (use 2026-11-20 09:31 or ISO 8601)
hotline-date-too-early = time before { $earliest }: not plausible
hotline-date-in-future = time after { $latest }: in the future
hotline-phone = caller phone not understood (digits, spaces, + and - only)
hotline-unknown-compound = no compound with code { $code }
hotline-no-compound = no compound found for the address
hotline-ambiguous-address = the address fits more than one compound
hotline-no-community = compound { $code } belongs to no community; fix the org tree
hotline-not-stored = the database refused this row; nothing of it was stored
hotline-duplicate-in-file = same order number as row { $first_row } of this file
hotline-already-imported = this order was imported before
hotline-rejected-problem = Rejected: { $where } (order { $order }): { $message }
hotline-duplicate-problem = Duplicate: { $where } (order { $order }): { $message }
hotline-would-create-line = Would create: row { $row } (order { $order })
hotline-dry-run-summary = Dry run: { $would } tickets would be created, { $duplicates } duplicate rows, { $rejected } rows rejected. Nothing was saved.
