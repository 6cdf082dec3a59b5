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

## A survey

survey-read-before = before you answer, if you need to.
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
