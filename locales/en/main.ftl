# The public pages' words in English. Every id here is also in
# ../cy/main.ftl (a test checks both catalogues have the same ids).

## The frame of every page

service-name = Campaign feedback
skip-link = Skip to main content
language-nav = Language
back-to-all = Back to all resources
footer-summary = We ask for no names. An email address is kept only if you agree, and deleted after a fixed period. Your answers help improve the campaign’s resources.
footer-links = Support links
footer-accessibility = Accessibility statement
footer-privacy = Privacy notice
error-prefix = Error:
error-summary-title = There is a problem
optional = (optional)

month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December

## The landing page

landing-empty-title = Campaign feedback
landing-empty = There are no surveys yet.
landing-resources = Give feedback on a resource
landing-give-feedback = Give feedback on { $resource }
landing-read = Read { $resource }
landing-read-hidden = (the published resource)
landing-whole = { $campaign } as a whole
landing-start = Start: { $survey }
landing-for-council = You are giving feedback for { $council }: each survey opens with it chosen.

## A survey

survey-read-before = before you answer, if you need to.
survey-privacy = How we use your answers
survey-send = Send feedback
survey-honeypot = Leave this empty
survey-not-saved = Your answers have not been saved.
survey-what-you-wrote = What you wrote
survey-copy-first = Copy anything you want to keep before you leave this page.
survey-open-ones = See the surveys that are open
survey-opens-on = This survey opens on { $date }.
survey-closed-on = This survey closed on { $date }.
survey-closed = This survey is closed.
survey-characters = You can enter up to { $count } characters.
survey-email-label = Email address
survey-email-consent = I agree that the campaign team may keep my email address to contact me about this feedback. It is deleted after { $days } days.
survey-score = { $score } – { $label }
survey-score-words = { $score } out of { $most }
survey-score-words-label = { $score } out of { $most } – { $label }
answer-yes = Yes
answer-no = No

## The organisation question

org-is-council = My organisation is a local council
org-is-not-council = My organisation is not a local council
org-name = Name of your organisation
org-sector = Sector
org-select-sector = Select a sector
org-search = Search for your council
org-search-hint = Type part of its name, such as Bradford or Perth, then select Search. Your other answers are kept.
org-search-button = Search
org-matching = Councils matching “{ $search }”
org-not-listed = Not listed? Search again with another part of its name.
org-no-match = No council matches “{ $search }”. Check the spelling, or choose from the list below.
org-choose = Or choose from the list
org-choose-hint = By the name people use, such as Bradford, grouped by nation.
org-select-council = Select your council
org-not-a-council = Not a council: a combined authority or another body
org-other-bodies = Combined authorities and other bodies
nation-england = England
nation-wales = Wales
nation-scotland = Scotland
nation-northern-ireland = Northern Ireland
sector-university = University
sector-rail_station = Rail station
sector-airport = Airport
sector-port = Port
sector-venue = Cultural or sporting venue
sector-public_body = Other public body
sector-supplier = Supplier
sector-other = Other

## The confirmation

thanks-title = Feedback sent
thanks-reference = Your reference
thanks-for-resource = Thank you for your feedback on { $resource }.
thanks-for-campaign = Thank you for your feedback on the { $campaign }.
thanks-next = What happens next
thanks-reads = The campaign team reads every response.
thanks-improved = The resources are improved with what councils and other organisations tell us.
thanks-contact = If you gave an email address and agreed to be contacted, we may email you about your feedback. Quote your reference if you contact the team.
thanks-another = Give feedback on another resource
thanks-summary = A summary of new feedback on this resource goes { $parts }.
thanks-to-leads = to the leads of the { $list } { $count ->
    [one] workstream
   *[other] workstreams
  } { $when }
thanks-every-day = every day
thanks-each-week = each week
parts-and = { $first }, and { $second }
list-and = { $rest } and { $last }

## Validation (GOV.UK wording)

error-select = Select an answer to “{ $question }”
error-select-some = Select at least one answer to “{ $question }”
error-enter = Enter an answer to “{ $question }”
error-enter-email = Enter an email address for “{ $question }”
error-from-options = Select from the options given for “{ $question }”
error-one-of-options = Select one of the options given for “{ $question }”
error-score = Select a score from { $low } to { $high } for “{ $question }”
error-too-long = Enter { $most } characters or fewer for “{ $question }”
error-select-council = Select your council from the list
error-enter-org-name = Enter the name of your organisation
error-org-name-too-long = Enter { $most } characters or fewer for the name of your organisation
error-select-sector = Select the sector your organisation works in
error-email-format = Enter an email address in the correct format, like name@example.gov.uk
error-email-missing = Enter your email address, or untick the box if you do not want to be contacted
error-email-consent = Tick the box to agree that we keep your email address, or delete the email address
error-honeypot = Leave the field “Leave this empty” empty
error-token-expired = This form was opened more than 24 hours ago and has expired. Your answers are below: check them and send the form again.
error-token-invalid = This form could not be checked. Your answers are below: check them and send the form again.
error-unknown-field = The form sent a field this survey does not have (“{ $field }”). Reload the survey page and send your answers again.
error-form-unreadable = The form could not be read. Send it again from the survey page.
custom = { $text }

## Error pages

page-home = Go to the list of surveys
error-404-title = Page not found
error-404-body = If you typed the web address, check it is correct. If you pasted it, check you copied the whole address.
error-400-title = There is a problem with the form
error-403-title = This request was refused
error-413-title = Your answers are too long to send
error-413-body = The form sent more than 64 KB. Shorten your longest answers, then send the form again.
error-415-body = The answers were not sent as a web form. Send them from the survey page.
error-408-title = Sorry, that took too long
error-408-body = Your answers have not been saved. Go back and send them again.
error-429-title = You have sent a lot of answers in a short time
error-429-body = To protect the service, wait { $seconds } seconds, then go back and send your answers again.
error-503-title = Sorry, there is a problem with the service
error-503-body = Your answers have not been saved. Go back and try again in a few minutes.
error-500-body = Your answers have not been saved. Go back and try again later.

## The editor's preview (officers only)

preview-back = Back to the editor
preview-title = Preview of the draft.
preview-banner = This is the survey as respondents will see it once published. Nothing you send here is stored.
preview-when-published = When published: { $availability }
preview-accepted-title = These answers would be accepted
preview-accepted-body = A respondent sending them would see the confirmation page. Nothing was stored.

## The accessibility statement and the privacy notice

statement-review-title = When this was reviewed
statement-reviewed = This page was last reviewed on { $date }.
statement-unset-review = Not yet reviewed: the service’s operator must set STATEMENTS_REVIEWED_ON before the service goes live.
statement-unset-contact = No contact has been given: the service’s operator must set OPERATOR_CONTACT before the service goes live.
statement-unset-operator = The service’s operator has not yet said who is responsible for your data: they must set OPERATOR_NAME and OPERATOR_CONTACT before the service goes live.
a11y-title = Accessibility statement
a11y-scope = This statement is about the public pages of this service: the campaign’s surveys, their confirmation pages and these statements.
a11y-aim = We want as many people as possible to be able to use it. You should be able to:
a11y-can-colours = change colours, contrast levels and fonts with your browser or device settings
a11y-can-zoom = zoom in up to 400% without the text spilling off the screen
a11y-can-keyboard = answer every survey with a keyboard only
a11y-can-speech = use speech recognition software
a11y-can-reader = listen to every page with a screen reader
a11y-can-no-script = use every page without JavaScript
a11y-how-title = How we test the service
a11y-how = We test against the Web Content Accessibility Guidelines (WCAG) version 2.2, level AA. On every change, every page is checked with the axe-core tool in a browser, in English and in Welsh; the surveys are answered with a keyboard only; and every page works without JavaScript.
a11y-known-title = Known issues
a11y-known-welsh = The Welsh translation was written by the service’s team and is awaiting review by a Welsh speaker.
a11y-known-resources = The resources the surveys ask about are published on other websites, which have their own accessibility statements.
a11y-report-title = Reporting a problem, or asking for another format
a11y-report = If you find a problem not listed here, or need the survey in another format, email { $contact }. We reply within 5 working days.
a11y-enforcement-title = Enforcement procedure
a11y-enforcement = The Equality and Human Rights Commission (EHRC) enforces the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018. If you are not happy with how we respond to your complaint, contact the Equality Advisory and Support Service (EASS).
a11y-status-title = Compliance status
a11y-status = We believe this service meets WCAG 2.2 level AA. Automated tests cannot find every problem: please tell us about any you meet.
privacy-title = Privacy notice
privacy-who-title = Who is responsible for your data
privacy-who = { $operator } is the data controller for the feedback you give in this service.
privacy-what-title = What we collect
privacy-what-answers = your answers to the survey, and the time you sent them
privacy-what-organisation = the organisation you answer for: a council from the register, or the name and sector of another organisation
privacy-what-language = the language you answered in
privacy-what-email = your email address, only if you give it and tick the box to agree that we keep it
privacy-what-not = We do not ask for your name, and we do not record where you connect from.
privacy-why-title = Why we collect it
privacy-why = To improve the campaign’s resources. Our lawful basis is public task: the campaign is part of the work of the public bodies that run it. For your email address, it is your consent, which you can withdraw at any time.
privacy-keep-title = How long we keep it
privacy-keep = Your email address is deleted { $days } days after you send your feedback. Your answers are kept, without it, for as long as the campaign needs them.
privacy-see-title = Who can see it
privacy-see = The campaign team’s officers who read the feedback, and the leads of the policy workstreams who get summaries of it. We do not share it with anyone else and never use it for marketing.
privacy-rights-title = Your rights
privacy-rights = You can ask to see the personal data we hold about you, to have it corrected or deleted, and to withdraw your consent for us to keep your email address.
privacy-rights-how = Email { $contact } and quote your reference if you have it.
privacy-complain = If you are unhappy with how we use your data, you can complain to the Information Commissioner’s Office (ICO): ico.org.uk, 0303 123 1113.
privacy-cookies-title = Cookies
privacy-cookies = The public pages use one cookie, lang, which remembers the language you chose for a year. It is needed for the service to work and does not track you.

## Invitation links and unsubscribing
link-unknown-title = This link is not recognised
link-unknown-body = Check that the whole link was copied from the email. You can still give feedback: go to the campaign’s page and choose your council.
unsubscribe-title = Stop emails about this campaign
unsubscribe-body = Press the button and we will send no more invitations or reminders about { $campaign } to { $email }.
unsubscribe-button = Stop these emails
unsubscribe-done-title = You will get no more emails about this campaign
unsubscribe-done-body = We will send no more invitations or reminders about { $campaign } to { $email }.
unsubscribe-still-welcome = Your feedback is still welcome at any time:
unsubscribe-campaign-link = give feedback on { $campaign }

## The embeddable "Was this useful?"
embed-wrong-site = This form can only be sent from the campaign’s own pages. Give your feedback on this site instead.
embed-yes-or-no = Choose yes or no, then send the form again.
embed-more-title = What was missing?
embed-more-caption = Thank you: your answer is saved
embed-more-send = Send
embed-more-skip = Skip this question
embed-thanks-title = Thank you for your feedback
embed-thanks-body = It helps the campaign improve its pages. You can close this page, or go back to the page you were reading.
