## Navigation and layout
nav-label = Main navigation
nav-home = Home
nav-studio = Studio
nav-admin = Administration
nav-language = Language
nav-language-apply = Change
nav-logout = Log out
nav-menu = Menu
footer-powered-by = Powered by Relais

## Login
login-title = Log in
login-heading = Log in to { $tenant }
login-email = Email
login-password = Password
login-submit = Log in
login-invalid = Wrong email or password.
login-too-many-attempts = Too many attempts. Please try again later.

## Participant home
home-title = Home
home-welcome = Welcome, { $name }!
home-points-title = My points
home-points-unit = points available
home-points-held = { $points } points held for your pending orders.
home-action-declare = Declare a sale
home-action-catalog = Open the catalog
home-monthly-rank = Number { $rank } of { $count } this month ({ $points } points)
home-see-all = See all
home-rank = Rank { $rank } of { $count }
home-more-challenges = { $count ->
    [one] One more running challenge
   *[other] { $count } more running challenges
}
home-missions-title = Missions to do
home-more-missions = { $count ->
    [one] One more mission to do
   *[other] { $count } more missions to do
}
home-missions-none = Nothing to do right now: new missions appear here.
home-rewards-title = Rewards within reach
home-reward-affordable = Within your balance
home-declarations-title = My latest declarations
home-declarations-none = No declaration yet: declare your first sale to earn points.
home-points-expiring = { $points } points expire within 90 days: use them!

## Studio
studio-title = Studio
studio-intro = Set up the { $tenant } programme: products, partners, segments, missions, stock and imports.

## Administration
admin-title = Administration
admin-theme-body = Name, colours, logo and default language of the portal.
admin-users-body = Accounts of participants, marketers and administrators.

## Theme
theme-title = Theme
theme-name = Programme name
theme-primary-color = Primary colour
theme-accent-color = Accent colour
theme-default-locale = Default language
theme-logo = Logo
theme-logo-hint = PNG, JPEG or WebP, up to 1 MB. Leave empty to keep the current logo.
theme-save = Save theme
theme-saved = Theme saved.
theme-preview = Preview
theme-preview-body = This is how your participants will see the portal.
theme-preview-button = Declare a sale
theme-preview-badge = Gold

## Users
users-title = Users
users-name = Name
users-email = Email
users-role = Role
users-status = Status
users-search-hint = Name or e-mail
users-count = { $count ->
    [one] { $count } user
   *[other] { $count } users
}
users-active-badge = Active
users-disabled-badge = Disabled
users-invited-badge = Invited, not signed in yet
users-disable = Disable account
users-enable = Enable account
users-disabled = Account disabled.
users-enabled = Account enabled.
users-cannot-disable-self = You cannot disable your own account.
role-participant = Participant
role-marketer = Marketer
role-admin = Administrator

## Field errors
error-required = This field is required.
error-too-long = This is too long.
error-email-invalid = Enter a valid email address.
error-email-taken = An account with this email already exists.
error-password-too-short = The password must have at least 10 characters.
error-color-invalid = Enter a colour as # followed by six hexadecimal digits, e.g. #1f6f5c.
error-color-contrast = This colour is too light: white text on it and links in it would fall below the 4.5:1 contrast that WCAG AA requires. Choose a darker shade.
theme-primary-hint = Used for the top bar, buttons and links: it must keep a contrast of 4.5:1 with white.
error-locale-invalid = Choose one of the offered languages.
error-logo-type = The logo must be a PNG, JPEG or WebP image.
error-logo-too-large = The logo must not exceed 1 MB.
error-slug-invalid = Use lowercase letters, digits and hyphens only.
error-slug-taken = This identifier is already taken.
error-domain-taken = This domain is already used by another programme.

## Error pages
error-403-title = Access denied
error-403-body = Your account does not give access to this page.
error-404-title = Page not found
error-404-body = There is nothing at this address.
error-500-title = Something went wrong
error-500-body = We could not complete your request. Please try again in a moment.
error-4xx-title = Request refused
error-4xx-body = The request could not be understood. Please go back and try again.
error-back-home = Back to the home page

## Lists and filters
filter-all = All
filter-from = From
filter-until = Until
filter-apply = Filter
pager-previous = Previous
pager-next = Next
admin-audit-body = Who changed what, and when.
error-refused-back = Go back, correct it and send again: what you typed is still in the form.
error-field-nul = The field “{ $field }” contains a NUL character (\0), which cannot be stored. Remove it and send again.
error-form-too-large = This form is too large: at most { $limit } can be sent at once.
error-upload-too-large = This upload is too large: at most { $limit } in total. Send smaller files, or fewer at a time.
error-form-field-missing = The form arrived without its field “{ $field }”. Reload the page and send it again.
error-form-unreadable = The form could not be read. Reload the page and send it again.
error-field-unreadable = The field “{ $field }” could not be read. Reload the page and send it again.
