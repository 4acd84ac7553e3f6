## Navigation
nav-declarations = My sales

## Declaring (participant)
declare-title = Declare a sale
declare-sale-date = Date of sale
declare-sale-date-hint = Sales of the last { $days } days can be declared.
declare-channel = Channel
channel-in_store = In store
channel-online = Online
declare-invoice-ref = Invoice or receipt number
declare-invoice-ref-hint = As printed on the invoice or the till receipt.
declare-lines = Products sold
declare-lines-hint = One line per product; up to { $cap } units per line.
declare-product = Product
declare-product-hint = Name or SKU
declare-quantity = Quantity
declare-unit-price = Unit price
declare-line-points = { $points ->
    [one] 1 point
   *[other] { $points } points
}
declare-add-line = Add a line
declare-preview = Show my points
declare-preview-hint = Fill in the lines to see the points you will earn.
declare-total-amount = Total of the sale
declare-total-points = You will earn { $points ->
    [one] 1 point
   *[other] { $points } points
} once approved.
declare-proofs = Proofs
declare-proofs-hint = Up to 5 photos or PDFs of the invoice (JPEG, PNG, WebP or PDF, 10 MB each).
declare-reattach = Choose your proof files again before sending.
declare-feedback-title = Customer feedback (optional)
declare-customer-type = Customer
declare-customer-type-none = Not specified
customer-type-new = New customer
customer-type-regular = Regular customer
customer-type-professional = Professional
declare-feedback = What did the customer say?
declare-submit = Send my declaration

## My declarations
declarations-title = My sales declarations
declarations-empty = You have not declared any sale yet.
declarations-points = { $points ->
    [one] 1 point
   *[other] { $points } points
}
declarations-points-label = Points
declarations-invoice = Invoice { $invoice }
declarations-partner = Partner
declarations-submitted = Submitted
declarations-reason = Reason
declarations-amount = Amount
declarations-total = Total
declarations-withdraw = Withdraw this declaration
declarations-withdraw-hint = A pending declaration can be withdrawn until it is reviewed.
declarations-proof-alt = Proof { $n }
declarations-proof-pdf = PDF: { $name }
declarations-size-kb = { $kb } KB
declarations-no-partner = Sales are declared by the participants of a partner. Your account does not belong to any partner.
declarations-sent = Declaration sent: it will be reviewed shortly.
declarations-sent-approved = Declaration approved: your points are credited.
declarations-withdrawn = Declaration withdrawn.
declarations-withdraw-too-late = This declaration has already been reviewed: it can no longer be withdrawn.
status-declaration-submitted = Pending review
status-declaration-approved = Approved
status-declaration-rejected = Rejected
status-declaration-withdrawn = Withdrawn
source-portal = portal
source-import = CSV import

## Bulk declarations (participant)
declarations-import-title = Upload a CSV file
declarations-import-intro = Declare many sales at once: one row per product line. Rows of the same invoice become one declaration. Nothing is recorded unless every row is valid, and rows already imported are skipped.
declarations-import-done = { $count ->
    [one] One declaration recorded
   *[other] { $count } declarations recorded
} from { $file } ({ $skipped } rows already imported).

## Review (admin)
review-title = Declarations to review
review-body = Approve or reject the sales declared by participants.
review-count = { $count ->
    [one] One declaration
   *[other] { $count } declarations
}
review-empty = No declaration matches these filters.
review-flag = Check
review-flags = Checks
review-unflagged = No check raised
review-partner-code = Partner code
review-submitted-from = Submitted from
review-submitted-until = Submitted until
review-participant = Participant
review-select = Select
review-bulk-approve = Approve the selected declarations
review-bulk-hint = Only pending declarations that raised no check can be approved in bulk.
review-bulk-done = Bulk approval done.
review-bulk-outcome = { $approved } approved, { $skipped } skipped (already decided, flagged or your own).
review-decision = Decision
review-approve = Approve ({ $points ->
    [one] 1 point
   *[other] { $points } points
})
review-reject = Reject
review-reverse = Reject and take the points back
review-reverse-hint = The points earned are taken back by a correcting transaction in the ledger.
review-reason = Reason
review-reason-written = Another reason (write it below)
review-reason-text = Reason in your own words
review-history = History
review-automatic = automatic approval
review-partner-history = Latest declarations of { $partner }
review-supply = Sell-in and opening stock
review-approved-sold = Approved sell-out
review-declared = Declared here
review-approved = Declaration approved.
review-rejected = Declaration rejected.
review-already-decided = This declaration was already decided.
review-points-spent = The participant has already spent these points: they cannot be taken back.
review-own-declaration = You cannot approve your own declaration: another administrator must review it.
review-rules-saved = Rules saved.
flag-duplicate_invoice = Same invoice
flag-duplicate_invoice-reason = This partner already declared this invoice number.
flag-exceeds_stock = Beyond stock
flag-exceeds_stock-reason = The approved sell-out of a product would exceed the partner's sell-in plus opening stock.
flag-over_threshold = Large amount
flag-over_threshold-reason = The points exceed the auto-approval threshold.
flag-daily_limit = Many today
flag-daily_limit-reason = The participant declared more than the daily limit today.
reason-no-proof = No proof of the sale.
reason-unreadable-proof = The proof cannot be read.
reason-duplicate = This sale was already declared.
reason-not-our-product = The invoice does not show our products.
reason-quantity-mismatch = The quantities do not match the invoice.
reason-outside-window = The sale is too old to be declared.

## Rules (admin)
rules-title = Declaration rules
rules-window-days = Declaration window (days after the sale)
rules-max-quantity-per-line = Most units per line
rules-max-declarations-per-day = Declarations per participant and day before review
rules-auto-approve = Approve automatically what raises no check
rules-auto-approve-hint = Declarations with the same invoice, beyond the known stock, above the threshold or beyond the daily limit always wait for a reviewer.
rules-auto-approve-max-points = Review threshold (points)
rules-stock-out-weeks = Stock-out risk below (weeks of cover)
rules-overstock-weeks = Overstock above (weeks of cover)

## Field errors
error-quantity-whole = Enter a whole number of units.
error-quantity-positive = Enter at least 1 unit.
error-quantity-cap = At most { $cap } units per line.
error-date-invalid = Enter a date such as 2026-11-23.
error-date-out-of-range = Enter a date between 2000 and 2100.
error-sale-date-future = The date of sale cannot be in the future.
error-sale-date-too-old = Sales older than { $days } days can no longer be declared.
error-channel-invalid = Choose in store or online.
error-customer-type-invalid = Choose one of the offered customer types.
error-product-unknown = No product has this name or SKU.
error-product-inactive = This product can no longer be declared.
error-lines-required = Declare at least one product.
error-lines-too-many = At most 30 lines per declaration.
error-proofs-too-many = At most 5 files.
error-proof-too-large = Each file must not exceed 10 MB.
error-proof-type = Proofs must be JPEG, PNG or WebP photos, or PDF files.
error-proof-unreadable = This image cannot be read.
error-reason-required = Choose a reason or write one.
error-number-range = Enter a whole number within the allowed range.
error-overstock-below-stock-out = The overstock threshold must be above the stock-out threshold.

## E-mails
emails-template-declaration_approved = Declaration approved
emails-template-declaration_rejected = Declaration rejected
email-declaration-approved-subject = { $tenant }: your sale is approved
email-declaration-rejected-subject = { $tenant }: your sale declaration was not approved
email-declaration-approved-body = Your declaration of invoice { $invoice } ({ $date }) is approved.
email-declaration-rejected-body = Your declaration of invoice { $invoice } ({ $date }) was not approved.
email-declaration-points = { $points } points credited
email-declaration-reason = Reason:
email-declaration-reversed = The { $points } points it had earned are taken back.
email-declaration-button = See my declaration

## Audit
audit-action-declaration-approved = Declaration approved
audit-action-declaration-rejected = Declaration rejected
audit-action-declaration-reversed = Approved declaration rejected (points reversed)
audit-action-declaration-withdrawn = Declaration withdrawn
audit-action-declaration-rules-updated = Declaration rules changed
audit-action-import-sell-out = Sell-out imported
audit-action-import-sell-in = Sell-in imported
audit-action-import-opening-stock = Opening stock imported

## Stock (studio)
stock-title = Stock at partners
stock-body = Sell-in beside approved sell-out: the stock at each partner, with stock-out and overstock alerts.
stock-partner-title = Stock at { $partner }
stock-partner-link = Stock at this partner
stock-intro = Sell-in and approved sell-out over the period; the implied stock is the opening stock plus all sell-in minus all approved sell-out up to the end of the period. Weeks of cover are at the sell-out rate of the last 8 weeks: below { $low } weeks, stock-out risk; above { $high } weeks (or no sale at all), overstock.
stock-export = Export as CSV
stock-category = Category
stock-alert = Alert
stock-alert-stock_out_risk = Stock-out risk
stock-alert-overstock = Overstock
stock-sort = Sort by
stock-sort-partner = Partner
stock-sort-product = Product
stock-sort-sell_in = Sell-in
stock-sort-sell_out = Sell-out
stock-sort-stock = Implied stock
stock-sort-cover = Weeks of cover
stock-direction = Order
stock-ascending = Ascending
stock-descending = Descending
stock-counts = { $risks } stock-out risks, { $overstocks } overstocks.
stock-sell-in = Sell-in
stock-sell-out = Approved sell-out
stock-implied = Implied stock
stock-cover = Cover
stock-weeks = { $weeks }.{ $tenth } wk
stock-empty = No sell-in, sell-out or opening stock matches these filters.
stock-how = Sell-in and opening stock are imported from CSV files:

## Imports of sell-in, opening stock and sell-out
imports-kind-sell_in = Sell-in
imports-kind-opening_stock = Opening stock
imports-kind-sell_out = Sell-out declarations
imports-col-sell_in-partner_code = The external code of the partner the brand sold to.
imports-col-sell_in-sku = The product's SKU.
imports-col-sell_in-date = The date of the delivery or invoice, e.g. 2026-11-23 or 23/11/2026.
imports-col-sell_in-quantity = Units sold (negative for a return).
imports-col-sell_in-amount = The amount invoiced, e.g. 1290.00 (negative for a credit note).
imports-col-sell_in-reference = Your ERP's line reference; without it, identical rows of a later file count as new deliveries only beyond the number already imported.
imports-col-opening_stock-partner_code = The partner's external code.
imports-col-opening_stock-sku = The product's SKU.
imports-col-opening_stock-quantity = Units in stock at the partner before the first sell-in.
imports-col-sell_out-invoice_ref = The partner's invoice or receipt number; rows with the same number make one declaration.
imports-col-sell_out-line = The line number within the invoice (1, 2, …): with the partner and the invoice, it identifies the row.
imports-col-sell_out-sale_date = The date of sale, within the declaration window.
imports-col-sell_out-channel = in_store or online.
imports-col-sell_out-sku = The product's SKU.
imports-col-sell_out-quantity = Units sold.
imports-col-sell_out-unit_price = The unit price; empty: the product's price.
imports-col-sell_out-partner_code = The partner's external code (required when the brand uploads).
imports-col-sell_out-participant_email = The participant who earns the points (required when the brand uploads; a participant may name a colleague).
imports-col-sell_out-customer_type = new, regular or professional.
declarations-import-columns-hint = Your own partner and your own account are used when partner_code and participant_email are empty.
error-import-sku-unknown = No product has the SKU { $value }.
error-import-quantity-invalid = Enter a whole number of units.
error-import-line-invalid = Enter a line number from 1 to 10000.
error-import-not-your-partner = { $value } is not your partner.
error-import-participant-unknown = No participant has the email { $value }.
error-import-participant-other-partner = { $value } belongs to another partner.
error-import-invoice-mismatch = The lines of invoice { $value } must share date, channel and participant (see line { $line }).
error-import-invoice-too-many-lines = Invoice { $value } (from line { $line }) has more than 30 lines, the most one declaration may have.
error-import-imported-meanwhile = Invoice { $value } was imported by another upload in the meantime: upload the file again to add the rest.
error-import-quantity-cap = More units than the programme allows on one line.
error-import-sale-date-too-old = This sale is older than the declaration window allows.
review-changed-meanwhile = Someone else decided on this declaration while you were looking at it. Nothing was changed: check its new status below.
