# Badges and the monthly leaderboard.
nav-badges = Badges
nav-leaderboard = Leaderboard

badges-title = My badges
badges-intro = Badges reward what you do in the programme. Each one is earned once.
badges-earned = Earned
badges-earned-on = Earned on { $date }
badges-points = +{ $points } points
badges-earned-empty = No badge yet: your first approved declaration earns one.
badges-locked = To earn
badges-how = How to earn it:
badges-worth = Worth { $points } points

badge-first-declaration-name = First sale
badge-first-declaration-rule = Have your first declaration approved.
badge-declarations-10-name = 10 sales
badge-declarations-10-rule = Have 10 declarations approved.
badge-declarations-50-name = 50 sales
badge-declarations-50-rule = Have 50 declarations approved.
badge-declarations-100-name = 100 sales
badge-declarations-100-rule = Have 100 declarations approved.
badge-month-missions-name = Mission accomplished
badge-month-missions-rule = Complete every mission open to you in a calendar month (missions that start and end within that month).
badge-challenge-podium-name = On the podium
badge-challenge-podium-rule = Finish first, second or third of a challenge.
badge-streak-weeks-name = On a roll
badge-streak-weeks-rule = Sell every week for { $weeks } weeks in a row: an approved declaration with a sale date in each week (Monday to Sunday).

leaderboard-title = Leaderboard of the month
leaderboard-intro = Points earned during the month (declarations, missions, challenges, badges). Points taken back after a correction do not count.
leaderboard-month = Month
leaderboard-show = Show
leaderboard-board = Ranking of
leaderboard-people = Participants
leaderboard-partners = Partners
leaderboard-scope = Compared with
leaderboard-region = My region ({ $region })
leaderboard-national = National ({ $country })
leaderboard-everyone = Everyone
leaderboard-my-rank = You are number { $rank } of { $total } with { $points } points.
leaderboard-our-rank = Your partner is number { $rank } of { $total } with { $points } points.
leaderboard-not-ranked = You have not earned points this month yet: one approved declaration puts you on the board.
leaderboard-rank = Rank
leaderboard-partner = Partner
leaderboard-participant = Participant
leaderboard-points = Points
leaderboard-empty = Nobody has earned points this month yet.

studio-badges-title = Badges
studio-badges-body = Names, images and points of the badges participants earn.
studio-badges-intro = The rules are built in; give each badge your own name, description, image and points, or switch it off.
studio-badges-name = Name
studio-badges-name-hint = Leave empty to use the standard name, translated for each participant.
studio-badges-rule = Rule
studio-badges-points = Points
studio-badges-points-hint = Points earned with the badge, once (0: none).
studio-badges-status = Status
studio-badges-description = Description
studio-badges-description-hint = Leave empty to show the rule.
studio-badges-weeks = Weeks in a row
studio-badges-weeks-hint = From 2 to 52 weeks.
studio-badges-active = Participants can earn this badge
studio-badges-image = Image
studio-badges-no-image = No image: a star is shown.
studio-badges-choose-image = Choose an image
studio-badges-image-hint = JPEG, PNG or WebP, { $max } MB at most; shown round.
studio-badges-upload = Upload
studio-badges-remove-image = Remove the image
studio-badges-saved = Badge saved.
studio-badges-image-saved = Image saved.
studio-badges-image-removed = Image removed.

error-badge-name-length = At most 80 characters.
error-badge-description-length = At most 500 characters.
error-badge-points = A whole number from 0 to 1,000,000.
error-badge-weeks = A whole number of weeks from 2 to 52.

email-badge-earned-subject = { $tenant }: you earned a badge
email-badge-earned-body = Well done, you earned a new badge:
email-badge-earned-points = It brings you { $points } points.
email-badge-earned-button = See my badges

audit-action-badge-updated = Badge updated

emails-template-badge_earned = Badge earned
points-cause-badge = Badge
