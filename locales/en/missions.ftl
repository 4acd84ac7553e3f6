## Missions: navigation and homes
nav-missions = Missions
studio-missions-body = Quizzes, surveys, photo and video missions for your participants, with their results.

## Missions: vocabularies
mission-kind-quiz = Quiz
mission-kind-survey = Survey
mission-kind-photo = Photo
mission-kind-video = Video
mission-status-draft = Draft
mission-status-published = Published
mission-status-archived = Archived
mission-limit-once = Once
mission-limit-times = A number of times
mission-limit-weekly = Once a week
mission-limit-monthly = Once a month
question-kind-single = Single choice
question-kind-multiple = Multiple choice
question-kind-short_text = Short text
question-kind-long_text = Long text
question-kind-rating = Rating from 1 to 5

## Missions: studio
missions-studio-title = Missions
missions-studio-intro = Quizzes and videos train your network; surveys and shelf photos bring back what the field sees. Participants see published missions during their window, if they are in one of the mission's segments.
missions-studio-empty = No mission yet.
missions-new = New mission
missions-new-hint = The mission is created as a draft: add its questions, then publish it.
missions-create = Create the mission
missions-created = Mission created. Add its questions, then publish it.
missions-saved = Mission saved.
missions-title-label = Title
missions-description = Description
missions-kind = Type
missions-status = Status
missions-points = Points
missions-window = Window
missions-questions = Questions
missions-results = Results
missions-starts-on = First day
missions-ends-on = Last day
missions-days-hint = Days in the programme's time zone ({ $zone }): the mission opens at the start of the first day and closes at the end of the last.
missions-limit = Completion limit
missions-max-completions = Number of times
missions-max-completions-hint = Only for "A number of times": from 2 to 100.
missions-segments = Eligible segments
missions-segments-hint = None ticked: every participant.
missions-position = Order
missions-position-hint = Smaller numbers come first on the participants' page.
missions-quiz-rules = Quiz rules
missions-quiz-rules-hint = Only for quizzes.
missions-pass-mark = Pass mark (%)
missions-max-attempts = Attempts allowed
missions-time-limit = Time limit (minutes, optional)
missions-locked-hint = This mission has been published: its type, points, first day, completion limit and quiz rules can no longer change. Its text, last day, order and segments can.
missions-settings = Settings
missions-make-published = Publish
missions-make-archived = Archive
missions-make-draft = Back to draft
missions-status-changed = Status changed.
missions-add-question = Add the question
missions-question-kind = Question type
missions-prompt = Question
missions-required = An answer is required
missions-optional = optional
missions-options = Options
missions-options-hint-quiz = At least two options; tick the correct ones (exactly one for a single choice). Blank lines are ignored.
missions-options-hint-survey = For choice questions: at least two options. Blank lines are ignored.
missions-option-n = Option { $n }
missions-correct = Correct
missions-move-up = Up
missions-move-down = Down
missions-delete-question = Delete
missions-no-questions = No question yet.
missions-question-added = Question added.
missions-question-deleted = Question deleted.
missions-question-moved = Question moved.

## Missions: results
missions-results-title = Results: { $title }
missions-export-csv = Export answers (CSV)
missions-eligible = Eligible
missions-started = Started
missions-completed = Completed
missions-completion-rate = Completion rate
missions-average-score = Average score
missions-most-failed = Most failed questions
missions-question = Question
missions-failed = Wrong answers
missions-answered = Answers
missions-no-failures = No wrong answer so far.
missions-answers = Answers
missions-submissions = { $count ->
    [one] One submission.
   *[other] { $count } submissions.
}
missions-choice = Choice
missions-count = Count
missions-rating = Rating
missions-no-answers = No answer yet.

## Missions: participants
missions-title = My missions
missions-intro = Complete missions to earn points: answer quizzes, share your view in surveys, photograph your displays, watch training videos.
missions-todo = To do
missions-todo-empty = Nothing to do right now.
missions-done = Done
missions-done-empty = No mission done yet.
missions-expired = Expired
missions-expired-empty = No expired mission.
missions-points-value = { $points ->
    [one] { $points } point
   *[other] { $points } points
}
missions-until = Until { $date }
missions-deadline = Closes on
missions-attempts = Attempts
missions-attempts-left = { $count ->
    [one] One attempt left
   *[other] { $count } attempts left
}
missions-attempts-left-of = { $left } of { $max } left
missions-minutes = { $count ->
    [one] { $count } minute
   *[other] { $count } minutes
}
missions-not-passed = Not passed
missions-done-badge = { $count ->
    [one] Done
   *[other] Done { $count } times
}
missions-closed = This mission is closed.
missions-last-result = Your last attempt
missions-passed = Passed
missions-failed-badge = Not passed
missions-timed-out = Time was up: this attempt counts as not passed
missions-answer-before = Send your answers before { $time }.
missions-start-quiz = Start the quiz
missions-retry-quiz = Try again
missions-submit-quiz = Send my answers
missions-submit-survey = Send my answers
missions-corrections = Corrections
missions-right = Right
missions-wrong = Wrong
missions-your-answer = your answer
missions-my-answers = Your answers
missions-rating-hint = 1 = poor, 5 = excellent
missions-several-hint = Several answers possible.
missions-quiz-started = Quiz started: good luck!
missions-quiz-passed = Well done, you passed! The points are on your statement.
missions-quiz-failed = Not passed this time.
missions-quiz-timed-out = Time was up: this attempt counts as not passed.
missions-survey-thanks = Thank you for your answers! The points are on your statement.

## Missions: errors
error-mission-number = Enter a whole number within the allowed range.
error-mission-date = Enter a date as YYYY-MM-DD.
error-mission-ends-before = The last day cannot come before the first.
error-mission-kind = Choose a quiz or a survey.
error-mission-limit = Choose one of the offered limits.
error-mission-segment = Choose among the existing segments.
error-mission-locked = This mission is published: this value decides points and can no longer change.
error-mission-status = This mission cannot move to that status.
error-mission-no-questions = Add at least one question before publishing.
error-mission-questions-locked = The questions of a published mission can no longer change.
error-question-kind = Choose one of the offered question types.
error-question-options = Give at least two options.
error-question-correct = Tick the correct options: exactly one for a single choice, at least one for a multiple choice.
error-question-too-many = A mission has at most 50 questions.
error-mission-closed = This mission is closed: answers are no longer accepted.
error-mission-already-done = You have already completed this mission as many times as allowed.
error-mission-no-attempts = You have used all your attempts at this quiz.
error-attempt-submitted = This attempt has already been sent.
error-answer-required = This question needs an answer.
error-answer-foreign-option = This choice does not belong to this question.
error-answer-foreign-question = These answers name a question that is not part of this mission. Reload the page and answer again.
error-answer-one-choice = Choose only one answer.
error-answer-rating = Choose a rating from 1 to 5.

## Missions: audit
audit-action-mission-created = Mission created
audit-action-mission-updated = Mission updated
audit-action-mission-status = Mission status changed
audit-action-mission-question-added = Mission question added
audit-action-mission-question-deleted = Mission question deleted

## Missions: photo and video
missions-options-hint-video = The follow-up quiz, passed after watching: at least two options; tick the correct ones (exactly one for a single choice). Blank lines are ignored.
missions-photo-rules = Photo mission
missions-instructions = What to photograph
missions-photos-required = Photos required
missions-photos-required-hint = From 1 to 5. Participants may send up to 5.
missions-products-hint = Optional: the products the photos should show (Ctrl or ⌘ to pick several).
missions-video-rules = Video mission
missions-duration = Video duration (seconds)
missions-duration-hint = Read from the uploaded file; enter it only if the file does not state it.
missions-duration-value = Duration: { $seconds } s
missions-duration-upload-hint = Filled in when you choose the file (if your browser can read it); leave blank to read it from the file.
missions-media = Images and video
media-role-cover = Cover image
media-role-example = Example photo
media-role-video = Video
missions-no-media = None yet.
missions-choose-file = File
missions-video-hint = MP4 or WebM, up to { $mb } MB. The video decides when the mission completes, so it can only change while the mission is a draft.
missions-image-hint = JPEG, PNG or WebP, up to { $mb } MB.
missions-upload = Upload
missions-media-saved = File saved.
missions-follow-up-quiz = Follow-up quiz (optional)
missions-video = Video
missions-video-seen = Seen:
missions-video-rule = The mission completes once you have watched at least 90 % of the video; skipping ahead does not count.
missions-video-watched = Watched
missions-video-quiz-after = Once the video is watched, a short quiz opens.
missions-photo-task = Your photos
missions-photos-hint = Send { $count ->
    [one] one photo
   *[other] { $count } photos
} (up to { $max }), taken with your phone or chosen from your files. An admin checks them before the points are credited.
missions-photo-n = Photo { $n }
missions-send-photos = Send the photos
missions-photos-sent = Photos sent. You will be told by e-mail when they are checked.
missions-my-submissions = What you sent
photo-status-pending = Awaiting review
photo-status-approved = Approved
photo-status-rejected = Rejected
missions-reason = Reason
missions-awaiting = Awaiting review
mission-review-title = Photo missions to review
mission-review-home-body = Shelf photos sent by participants: approve them to credit the points, or reject them with a reason.
mission-review-mission = Mission
mission-review-count = { $count ->
    [one] One submission
   *[other] { $count } submissions
}
mission-review-bulk-approve = Approve the ticked submissions
mission-review-bulk-hint = Tick submissions below; each is approved on its own, and those decided meanwhile are skipped.
mission-review-approve = Approve
mission-review-empty = Nothing here.
mission-review-approved = Submission approved: the points are credited.
mission-review-rejected = Submission rejected; the participant is told why.
error-media-missing = Choose a file.
error-media-too-large = This file is over the size limit.
error-media-image-type = Only JPEG, PNG or WebP images are accepted.
error-media-video-type = Only MP4 or WebM videos are accepted (judged by the file's content, not its name).
error-media-duration = Enter the video's duration in seconds (1 to 14,400): it could not be read from the file.
error-mission-video-locked = The video of a published mission cannot change.
error-mission-no-video = Upload the video (with its duration) before publishing.
error-mission-product = Choose products from the list.
error-video-not-watched = Watch the video first.
error-video-not-started = The video was not started: play it from the page.
error-video-progress = This progress report does not match the video.
error-photos-none = Add at least one photo.
error-photos-too-many = At most 5 photos.
error-photos-too-few = This mission asks for more photos.
error-photo-pending = Your photos are awaiting review.
error-review-own = You cannot review your own submission.
error-review-changed = This submission was decided meanwhile: the page shows its state now.
email-mission-photo-approved-subject = { $tenant }: your photos are approved
email-mission-photo-rejected-subject = { $tenant }: your photos were not approved
email-mission-photo-approved-body = Your photos for the mission “{ $title }” are approved.
email-mission-photo-rejected-body = Your photos for the mission “{ $title }” were not approved.
email-mission-photo-retry = You can send new photos from the mission's page.
email-mission-points = { $points } points credited
email-mission-button = Open the mission
missions-products = Products concerned
audit-action-mission-media = Mission file uploaded
audit-action-mission-photo-approved = Mission photos approved
audit-action-mission-photo-rejected = Mission photos rejected
emails-template-mission_photo_approved = Mission photos approved
emails-template-mission_photo_rejected = Mission photos rejected
missions-by-region = By region
missions-by-partner = By partner
