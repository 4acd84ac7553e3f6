## Studio home
studio-partners-body = Your network of distributors, resellers and franchisees, and their participants.
studio-products-body = The product range, with prices and points per unit.
studio-segments-body = Groups of partners defined by rules (region, kind, tier…), kept up to date as partners change.
studio-imports-body = Import partners, participants and products from a CSV file.

## Shared words
action-back = Back
action-edit = Edit
action-save = Save
action-deactivate = Deactivate
action-reactivate = Reactivate
status-active = Active
status-inactive = Inactive
filter-search = Search
filter-status = Status
form-has-errors = Some fields need your attention: see the messages below.
pager-position = Page { $page } of { $pages }

## Partners
partners-title = Partners
partners-new = New partner
partners-edit-title = Edit partner
partners-search-hint = Name or code
partners-count = { $count ->
    [one] One partner
   *[other] { $count } partners
}
partners-empty = No partner matches these filters.
partners-code = External code
partners-code-hint = The partner's customer code in your ERP, e.g. PH-75-0012.
partners-name = Name
partners-kind = Kind
partners-brand-mode = Brand mode
partners-region = Region
partners-country = Country
partners-country-hint = Two-letter ISO code, e.g. FR.
partners-tier = Tier
partners-tier-hint = A free label such as Gold, Silver or Bronze.
partners-potential = Potential
partners-potential-hint = Your estimate, from 1 (low) to 5 (high).
partners-participants = Participants
partners-no-participants = No participant belongs to this partner yet.
partners-participants-hint = Participants are added by importing a participants file, or invited from the administration.
partners-segments = Segments
partners-updated = Last change
partners-deactivate-hint = A deactivated partner leaves every segment; its participants keep their accounts.
partners-created = Partner created.
partners-saved = Partner saved.
partners-deactivated = Partner deactivated.
partners-reactivated = Partner reactivated.
partner-kind-distributor = Distributor
partner-kind-reseller = Reseller
partner-kind-franchisee = Franchisee
brand-mode-mono = Mono-brand
brand-mode-multi = Multi-brand

## Products
products-title = Products
products-new = New product
products-edit-title = Edit product
products-search-hint = Name or SKU
products-count = { $count ->
    [one] One product
   *[other] { $count } products
}
products-empty = No product matches these filters.
products-sku = SKU
products-name = Name
products-category = Category
products-unit-price = Unit price
products-unit-price-hint = In your programme's currency, e.g. 12.90.
products-points = Points per unit
products-deactivate-hint = A deactivated product can no longer be declared.
products-created = Product created.
products-saved = Product saved.
products-deactivated = Product deactivated.
products-reactivated = Product reactivated.

## Segments
segments-title = Segments
segments-new = New segment
segments-edit-title = Edit segment
segments-intro = A segment holds the active partners that match its rule, plus the partners listed by code.
segments-empty = No segment yet.
segments-name = Name
segments-rule = Rule
segments-members = Partners
segments-rule-hint = Tick what partners must match: every ticked group must match, a group left empty accepts anything. With nothing ticked, only the listed partners belong to the segment.
segments-partner-codes = Partners added by code
segments-partner-codes-hint = External codes separated by spaces, commas or new lines.
segments-matching = { $count ->
    [one] One matching partner
   *[other] { $count } matching partners
}
segments-created = Segment created.
segments-saved = Segment saved.

## Imports
imports-title = Imports
imports-intro = Import partners, participants or products from a CSV file. The whole file is checked first: if any row is wrong, nothing is imported and every problem is listed. Importing the same file again updates the existing rows instead of duplicating them.
imports-kind = What the file contains
imports-kind-partners = Partners
imports-kind-participants = Participants
imports-kind-products = Products
imports-file = CSV file
imports-file-hint = UTF-8, with or without BOM, separated by commas or semicolons. The first line names the columns.
imports-submit = Check and import
imports-done = { $file } imported.
imports-rows = Rows
imports-created = Created
imports-updated = Updated
imports-unchanged = Unchanged
imports-invited = Invitations sent
imports-refused = { $count ->
    [one] The file was refused because of one problem. Nothing was imported.
   *[other] The file was refused because of { $count } problems. Nothing was imported.
}
imports-more-errors = … and { $count } more problems.
imports-line = Line
imports-column = Column
imports-problem = Problem
imports-column-meaning = Meaning
imports-columns-title = Columns
imports-columns-intro = Column names may be in English, French or Indonesian (code_externe, kode_eksternal…), in any case, with or without accents, in any order; columns not listed here are ignored. When a file names its columns otherwise, you choose which column is which once, and the next files of that kind are read the same way. Yes/no cells accept yes, no, true, false, 1, 0, oui, non.
imports-required = required
imports-optional = optional
imports-col-partners-external_code = The partner's customer code in your ERP; rows are matched on it.
imports-col-partners-name = The partner's name.
imports-col-partners-kind = distributor, reseller or franchisee.
imports-col-partners-brand_mode = mono or multi.
imports-col-partners-region = The region, e.g. Bretagne.
imports-col-partners-country = Two-letter ISO country code, e.g. FR.
imports-col-partners-potential = 1 (low) to 5 (high).
imports-col-partners-tier = A free label such as Gold, Silver or Bronze.
imports-col-partners-active = no deactivates the partner; empty keeps it as it is.
imports-col-participants-email = The participant's email; rows are matched on it. New participants receive an invitation.
imports-col-participants-name = First and last name.
imports-col-participants-partner_code = The external code of the participant's partner.
imports-col-participants-locale = Language of the participant's emails: en, fr or id.
imports-col-products-sku = The product's SKU; rows are matched on it.
imports-col-products-name = The product's name.
imports-col-products-category = The product's category, e.g. Sticks.
imports-col-products-unit_price = The unit price, e.g. 12.90 or 12,90.
imports-col-products-points_per_unit = Points earned per unit sold (a whole number).
imports-col-products-active = no deactivates the product; empty keeps it as it is.

## Field and row errors
error-kind-invalid = Choose distributor, reseller or franchisee.
error-brand-mode-invalid = Choose mono or multi.
error-code-invalid = Use letters, digits and . _ / - only (at most 40).
error-code-taken = Another partner already has this code.
error-sku-invalid = Use letters, digits and . _ / - only (at most 40).
error-sku-taken = Another product already has this SKU.
error-country-invalid = Enter a two-letter ISO country code, e.g. FR.
error-potential-invalid = Enter a whole number from 1 to 5.
error-price-invalid = Enter a price such as 12.90.
error-price-negative = The price cannot be negative.
error-points-invalid = Enter a whole number of points.
error-points-negative = Points cannot be negative.
error-flag-invalid = Enter yes or no.
error-segment-name-taken = Another segment already has this name.
error-segment-codes-unknown = Some of these codes belong to no partner.
error-partner-code-unknown = No partner has the code { $value }.
error-partner-inactive = The partner { $value } is deactivated.
error-import-not-participant = { $value } belongs to a marketer or an administrator, not a participant.
error-import-duplicate = { $value } already appears on line { $line }.
error-import-missing-column = The column { $value } is missing from the first line.
error-import-duplicate-column = The column { $value } appears twice.
error-import-field-count = This line has { $value } cells, not as many as the first line.
error-import-malformed = This line cannot be read: check its quotes.
error-import-not-utf8 = The file is not UTF-8 text (from this line on). In your spreadsheet, save it as "CSV UTF-8".
error-import-empty = The file has no rows to import.
error-import-too-many-rows = The file has more than { $value } rows: split it.

## Catalogs and column mapping
catalog-export = Export CSV
imports-mapping-title = Which column is which?
imports-mapping-intro = Some columns of this file were not recognised. Choose the column of the file that holds each one, then import: your choice is remembered for the next files of this kind.
imports-mapping-none = — not in this file
imports-mapping-found = found: { $header }
imports-mapping-submit = Import with these columns
error-import-nul = This cell contains a NUL character, which cannot be stored: remove it.
error-import-mapping-invalid = Choose one of the file's columns.
error-import-header-twice = The column { $value } is chosen twice.
