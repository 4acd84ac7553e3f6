## Invitations, passwords
account-set-password-title = Choose your password
account-invitation-heading = Welcome to { $tenant }
account-reset-heading = Choose a new password
account-set-password-intro = { $name }, choose the password you will use to log in.
account-new-password = New password
account-confirm-password = Confirm the password
account-password-hint = At least 10 characters.
account-save-password = Save my password
account-password-mismatch = The two passwords are different.
account-password-set = Your password is saved. You can now log in.
account-link-problem-title = This link no longer works
account-link-unknown = This link is not valid. Check that you copied it whole.
account-link-expired = This link has expired.
account-link-used = This link has already been used, or a newer one was sent.
account-link-ask-new = You can ask for a new link to choose your password.
account-forgot-link = Forgot your password?
account-forgot-title = Reset your password
account-forgot-intro = Enter your email address: if it belongs to an account, we will send you a link to choose a new password.
account-forgot-submit = Send me a link
account-forgot-sent = If an account exists for this address, an email with a link is on its way. Check your inbox.
account-back-to-login = Back to login

## Users: invitations
users-invite-title = Invite someone
users-invite-submit = Send the invitation
users-invited = Invitation sent.
users-reinvite = Send a new invitation
users-language = Language
users-language-default = The programme's language
error-role-invalid = Choose one of the offered roles.

## E-mails (admin)
emails-title = Emails
admin-emails-body = Queued, sent and failed emails, with a retry button.
emails-empty = No email here.
emails-created = Created
emails-to = To
emails-kind = Email
emails-status = Status
emails-attempts = Attempts
emails-error = Last error
emails-error-history = All { $count } errors
emails-error-attempt = Attempt { $attempt }
emails-retry = Retry
emails-retried = The email is queued again.
emails-retry-not-failed = Only a failed email can be retried.
emails-status-queued = Queued
emails-status-running = Sending
emails-status-done = Sent
emails-status-failed = Failed
emails-template-invitation = Invitation
emails-template-password_reset = Password reset

## E-mails (content)
email-greeting = Hello { $name },
email-footer = You receive this email as a member of the { $tenant } programme.
email-link-expires = This link works for { $hours } hours and only once.
email-invitation-subject = Your invitation to { $tenant }
email-invitation-body = You are invited to join the { $tenant } partner programme: declare your sales and earn points for them.
email-invitation-button = Choose my password
email-password-reset-subject = Reset your { $tenant } password
email-password-reset-body = Someone asked to reset the password of your { $tenant } account.
email-password-reset-button = Choose a new password
email-password-reset-ignore = If it was not you, ignore this email: your password stays the same.

## Development
dev-mail-title = Sent emails (development)
dev-mail-intro = Emails written by the development file transport, newest first.
dev-mail-empty = No email yet.

users-change-role = Change role
users-role-changed = Role changed.
users-cannot-change-own-role = You cannot change your own role.
users-partner-code = Partner code
users-partner-code-hint = Participants only: the external code of their pharmacy or shop (e.g. PH-75-0012).
error-partner-required = A participant needs the code of their partner.
error-partner-unknown = No active partner has this code.
