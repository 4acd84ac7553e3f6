## Points: statement
nav-points = My points
points-title = My points
points-available = Available
points-held = On hold
points-expiring-soon = Expiring within 90 days
points-export-csv = Export CSV
points-no-movement = No movement in this period.
points-date = Date
points-reason = Reason
points-amount = Points
points-balance = Balance
points-opening = Balance at the start of the period
points-kind-earn = Earned
points-kind-adjust = Adjustment
points-kind-hold = On hold
points-kind-capture = Spent
points-kind-release = Released
points-kind-expire = Expired
points-kind-reversal = Correction
points-cause-declaration = Declaration #{ $id }
points-cause-mission = Mission #{ $id }
points-cause-challenge = Challenge #{ $id }
points-cause-redemption = Reward order #{ $id }
points-cause-manual = Manual #{ $id }

## Points: back-office
admin-points-body = Balances by participant, adjustments and the programme's liability.
points-admin-title = Points
points-outstanding = Points outstanding
points-expiring-by-month = Expiring by month
points-month = Month
points-balances = Balances by participant
points-partner = Partner
points-sort = Sort by
points-sort-available-desc = Most points first
points-sort-available-asc = Fewest points first
points-sort-name = Name
points-sort-partner = Partner
points-adjust-title = Adjust points
points-adjust-amount = Points to add (negative to remove)
points-adjust-amount-hint = For example 250 or -100.
points-adjust-submit = Record the adjustment
points-adjusted = Adjustment recorded.
error-points-insufficient = The participant does not have that many points available.
error-points-nonzero = Enter a number of points other than zero.
error-points-integer = Enter a whole number of points.
error-participant-unknown = This participant does not exist.

## Points: e-mail
email-points-expiring-subject = Your { $tenant } points expire soon
email-points-expiring-body = { $points } of your points expire on { $date }; after that date they leave your balance.
email-points-expiring-button = See my points
emails-template-points_expiring = Points expiring
points-by-partner = Points by partner
points-participants = Participants
error-points-resubmitted = This form was already sent with other values. Reload the page and try again.
