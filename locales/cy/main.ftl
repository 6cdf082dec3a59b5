# Geiriau'r tudalennau cyhoeddus yn Gymraeg. Mae pob id yma hefyd yn
# ../en/main.ftl (mae prawf yn gwirio bod gan y ddau gatalog yr un ids).
#
# Names of resources and campaigns are quoted after a noun (“yr adnodd
# ‘Llywodraethu’”) so that they need no mutation.
#
# AWAITING REVIEW: this translation was written by the development team and
# has not yet been reviewed by a Welsh speaker. Have it checked before the
# service is offered in Wales (see the README, "Welsh").

## Ffrâm pob tudalen

service-name = Adborth ar yr ymgyrch
skip-link = Neidio i’r prif gynnwys
language-nav = Iaith
back-to-all = Yn ôl i’r holl adnoddau
footer-summary = Nid ydym yn gofyn am enwau. Dim ond os ydych yn cytuno y caiff cyfeiriad e-bost ei gadw, a chaiff ei ddileu ar ôl cyfnod penodol. Mae eich atebion yn helpu i wella adnoddau’r ymgyrch.
footer-links = Dolenni cymorth
footer-accessibility = Datganiad hygyrchedd
footer-privacy = Hysbysiad preifatrwydd
error-prefix = Gwall:
error-summary-title = Mae problem wedi codi
optional = (dewisol)

month-1 = Ionawr
month-2 = Chwefror
month-3 = Mawrth
month-4 = Ebrill
month-5 = Mai
month-6 = Mehefin
month-7 = Gorffennaf
month-8 = Awst
month-9 = Medi
month-10 = Hydref
month-11 = Tachwedd
month-12 = Rhagfyr

## Y dudalen gartref

landing-empty-title = Adborth ar yr ymgyrch
landing-empty = Nid oes arolygon eto.
landing-resources = Rhowch adborth ar adnodd
landing-give-feedback = Rhowch adborth ar yr adnodd ‘{ $resource }’
landing-read = Darllenwch yr adnodd ‘{ $resource }’
landing-read-hidden = (yr adnodd cyhoeddedig)
landing-whole = { $campaign } yn ei gyfanrwydd
landing-start = Dechrau: { $survey }
landing-for-council = Rydych chi’n rhoi adborth ar ran { $council }: mae pob arolwg yn agor gyda’r cyngor wedi’i ddewis.

## Arolwg

survey-read-before = cyn i chi ateb, os oes angen.
survey-privacy = Sut rydym yn defnyddio eich atebion
survey-send = Anfon adborth
survey-honeypot = Gadewch hwn yn wag
survey-not-saved = Nid yw eich atebion wedi cael eu cadw.
survey-what-you-wrote = Beth ysgrifennoch chi
survey-copy-first = Copïwch unrhyw beth rydych am ei gadw cyn i chi adael y dudalen hon.
survey-open-ones = Gweld yr arolygon sydd ar agor
survey-opens-on = Mae’r arolwg hwn yn agor ar { $date }.
survey-closed-on = Caeodd yr arolwg hwn ar { $date }.
survey-closed = Mae’r arolwg hwn wedi cau.
survey-characters = Gallwch roi hyd at { $count } o nodau.
survey-email-label = Cyfeiriad e-bost
survey-email-consent = Rwy’n cytuno y gall tîm yr ymgyrch gadw fy nghyfeiriad e-bost i gysylltu â mi am yr adborth hwn. Caiff ei ddileu ar ôl { $days } diwrnod.
survey-score = { $score } – { $label }
survey-score-words = { $score } allan o { $most }
survey-score-words-label = { $score } allan o { $most } – { $label }
answer-yes = Ie
answer-no = Na

## Y cwestiwn am y sefydliad

org-is-council = Mae fy sefydliad yn gyngor lleol
org-is-not-council = Nid yw fy sefydliad yn gyngor lleol
org-name = Enw eich sefydliad
org-sector = Sector
org-select-sector = Dewiswch sector
org-search = Chwilio am eich cyngor
org-search-hint = Teipiwch ran o’i enw, fel Merthyr Tudful neu Wrecsam, ac yna dewiswch Chwilio. Caiff eich atebion eraill eu cadw.
org-search-button = Chwilio
org-matching = Cynghorau sy’n cyfateb i “{ $search }”
org-not-listed = Ddim ar y rhestr? Chwiliwch eto gyda rhan arall o’i enw.
org-no-match = Nid oes cyngor yn cyfateb i “{ $search }”. Gwiriwch y sillafu, neu dewiswch o’r rhestr isod.
org-choose = Neu dewiswch o’r rhestr
org-choose-hint = Yn ôl yr enw y mae pobl yn ei ddefnyddio, fel Bradford, wedi’u grwpio fesul gwlad.
org-select-council = Dewiswch eich cyngor
org-not-a-council = Nid yw’n gyngor: awdurdod cyfunol neu gorff arall
org-other-bodies = Awdurdodau cyfunol a chyrff eraill
nation-england = Lloegr
nation-wales = Cymru
nation-scotland = Yr Alban
nation-northern-ireland = Gogledd Iwerddon
sector-university = Prifysgol
sector-rail_station = Gorsaf reilffordd
sector-airport = Maes awyr
sector-port = Porthladd
sector-venue = Lleoliad diwylliannol neu chwaraeon
sector-public_body = Corff cyhoeddus arall
sector-supplier = Cyflenwr
sector-other = Arall

## Y cadarnhad

thanks-title = Adborth wedi’i anfon
thanks-reference = Eich cyfeirnod
thanks-for-resource = Diolch am eich adborth ar yr adnodd ‘{ $resource }’.
thanks-for-campaign = Diolch am eich adborth ar ‘{ $campaign }’.
thanks-next = Beth sy’n digwydd nesaf
thanks-reads = Mae tîm yr ymgyrch yn darllen pob ymateb.
thanks-improved = Caiff yr adnoddau eu gwella gyda’r hyn y mae cynghorau a sefydliadau eraill yn ei ddweud wrthym.
thanks-contact = Os rhoesoch gyfeiriad e-bost a chytuno i ni gysylltu â chi, efallai y byddwn yn anfon e-bost atoch am eich adborth. Dyfynnwch eich cyfeirnod os byddwch yn cysylltu â’r tîm.
thanks-another = Rhoi adborth ar adnodd arall
thanks-summary = Mae crynodeb o adborth newydd ar yr adnodd hwn yn mynd { $parts }.
thanks-to-leads = i arweinwyr { $count ->
    [one] ffrwd waith
   *[other] ffrydiau gwaith
  } { $list } { $when }
thanks-every-day = bob dydd
thanks-each-week = bob wythnos
parts-and = { $first }, a { $second }
list-and = { $rest } a { $last }

## Dilysu (geiriad cydrannau Cymraeg GOV.UK)

error-select = Dewiswch ateb i “{ $question }”
error-select-some = Dewiswch o leiaf un ateb i “{ $question }”
error-enter = Rhowch ateb i “{ $question }”
error-enter-email = Rhowch gyfeiriad e-bost ar gyfer “{ $question }”
error-from-options = Dewiswch o’r opsiynau a roddwyd ar gyfer “{ $question }”
error-one-of-options = Dewiswch un o’r opsiynau a roddwyd ar gyfer “{ $question }”
error-score = Dewiswch sgôr o { $low } i { $high } ar gyfer “{ $question }”
error-too-long = Rhowch { $most } o nodau neu lai ar gyfer “{ $question }”
error-select-council = Dewiswch eich cyngor o’r rhestr
error-enter-org-name = Rhowch enw eich sefydliad
error-org-name-too-long = Rhowch { $most } o nodau neu lai ar gyfer enw eich sefydliad
error-select-sector = Dewiswch y sector y mae eich sefydliad yn gweithio ynddo
error-email-format = Rhowch gyfeiriad e-bost yn y fformat cywir, fel enw@enghraifft.gov.uk
error-email-missing = Rhowch eich cyfeiriad e-bost, neu dad-diciwch y blwch os nad ydych am i ni gysylltu â chi
error-email-consent = Ticiwch y blwch i gytuno ein bod yn cadw eich cyfeiriad e-bost, neu dilëwch y cyfeiriad e-bost
error-honeypot = Gadewch y maes “Gadewch hwn yn wag” yn wag
error-token-expired = Cafodd y ffurflen hon ei hagor fwy na 24 awr yn ôl ac mae wedi dod i ben. Mae eich atebion isod: gwiriwch nhw ac anfonwch y ffurflen eto.
error-token-invalid = Nid oedd modd gwirio’r ffurflen hon. Mae eich atebion isod: gwiriwch nhw ac anfonwch y ffurflen eto.
error-unknown-field = Anfonodd y ffurflen faes nad yw yn yr arolwg hwn (“{ $field }”). Ail-lwythwch dudalen yr arolwg ac anfonwch eich atebion eto.
error-form-unreadable = Nid oedd modd darllen y ffurflen. Anfonwch hi eto o dudalen yr arolwg.
custom = { $text }

## Tudalennau gwall

page-home = Mynd i’r rhestr o arolygon
error-404-title = Heb ddod o hyd i’r dudalen
error-404-body = Os gwnaethoch deipio’r cyfeiriad gwe, gwiriwch ei fod yn gywir. Os gwnaethoch ei gludo, gwiriwch eich bod wedi copïo’r cyfeiriad cyfan.
error-400-title = Mae problem gyda’r ffurflen
error-403-title = Cafodd y cais hwn ei wrthod
error-413-title = Mae eich atebion yn rhy hir i’w hanfon
error-413-body = Anfonodd y ffurflen fwy na 64 KB. Byrhewch eich atebion hiraf, ac yna anfonwch y ffurflen eto.
error-415-body = Ni chafodd yr atebion eu hanfon fel ffurflen we. Anfonwch nhw o dudalen yr arolwg.
error-408-title = Mae’n ddrwg gennym, cymerodd hynny ormod o amser
error-408-body = Nid yw eich atebion wedi cael eu cadw. Ewch yn ôl a’u hanfon eto.
error-429-title = Rydych wedi anfon llawer o atebion mewn amser byr
error-429-body = I ddiogelu’r gwasanaeth, arhoswch { $seconds } eiliad, ac yna ewch yn ôl ac anfon eich atebion eto.
error-503-title = Mae’n ddrwg gennym, mae problem gyda’r gwasanaeth
error-503-body = Nid yw eich atebion wedi cael eu cadw. Ewch yn ôl a rhowch gynnig arall arni ymhen ychydig funudau.
error-500-body = Nid yw eich atebion wedi cael eu cadw. Ewch yn ôl a rhowch gynnig arall arni yn nes ymlaen.

## Rhagolwg y golygydd (swyddogion yn unig)

preview-back = Yn ôl i’r golygydd
preview-title = Rhagolwg o’r drafft.
preview-banner = Dyma’r arolwg fel y bydd ymatebwyr yn ei weld ar ôl ei gyhoeddi. Nid oes dim rydych yn ei anfon yma yn cael ei gadw.
preview-when-published = Ar ôl ei gyhoeddi: { $availability }
preview-accepted-title = Byddai’r atebion hyn yn cael eu derbyn
preview-accepted-body = Byddai ymatebydd sy’n eu hanfon yn gweld y dudalen gadarnhau. Ni chafodd dim ei gadw.

## Y datganiad hygyrchedd a’r hysbysiad preifatrwydd

statement-review-title = Pryd cafodd hwn ei adolygu
statement-reviewed = Cafodd y dudalen hon ei hadolygu ddiwethaf ar { $date }.
statement-unset-review = Heb ei adolygu eto: rhaid i weithredwr y gwasanaeth osod STATEMENTS_REVIEWED_ON cyn i’r gwasanaeth fynd yn fyw.
statement-unset-contact = Nid oes manylion cyswllt wedi’u rhoi: rhaid i weithredwr y gwasanaeth osod OPERATOR_CONTACT cyn i’r gwasanaeth fynd yn fyw.
statement-unset-operator = Nid yw gweithredwr y gwasanaeth wedi dweud eto pwy sy’n gyfrifol am eich data: rhaid iddo osod OPERATOR_NAME ac OPERATOR_CONTACT cyn i’r gwasanaeth fynd yn fyw.
a11y-title = Datganiad hygyrchedd
a11y-scope = Mae’r datganiad hwn yn ymwneud â thudalennau cyhoeddus y gwasanaeth hwn: arolygon yr ymgyrch, eu tudalennau cadarnhau a’r datganiadau hyn.
a11y-aim = Rydym am i gynifer o bobl â phosibl allu ei ddefnyddio. Dylech allu:
a11y-can-colours = newid lliwiau, lefelau cyferbyniad a ffontiau gyda gosodiadau eich porwr neu’ch dyfais
a11y-can-zoom = chwyddo hyd at 400% heb i’r testun ddiflannu oddi ar y sgrin
a11y-can-keyboard = ateb pob arolwg gan ddefnyddio bysellfwrdd yn unig
a11y-can-speech = defnyddio meddalwedd adnabod lleferydd
a11y-can-reader = gwrando ar bob tudalen gyda darllenydd sgrin
a11y-can-no-script = defnyddio pob tudalen heb JavaScript
a11y-how-title = Sut rydym yn profi’r gwasanaeth
a11y-how = Rydym yn profi yn erbyn Canllawiau Hygyrchedd Cynnwys y We (WCAG) fersiwn 2.2, lefel AA. Gyda phob newid, caiff pob tudalen ei gwirio gydag offeryn axe-core mewn porwr, yn Saesneg ac yn Gymraeg; caiff yr arolygon eu hateb gyda bysellfwrdd yn unig; ac mae pob tudalen yn gweithio heb JavaScript.
a11y-known-title = Problemau hysbys
a11y-known-welsh = Cafodd y cyfieithiad Cymraeg ei ysgrifennu gan dîm y gwasanaeth ac mae’n aros i siaradwr Cymraeg ei adolygu.
a11y-known-resources = Caiff yr adnoddau y mae’r arolygon yn gofyn amdanynt eu cyhoeddi ar wefannau eraill, sydd â’u datganiadau hygyrchedd eu hunain.
a11y-report-title = Rhoi gwybod am broblem, neu ofyn am fformat arall
a11y-report = Os dewch o hyd i broblem nad yw wedi’i rhestru yma, neu os oes angen yr arolwg arnoch mewn fformat arall, anfonwch e-bost at { $contact }. Byddwn yn ateb o fewn 5 diwrnod gwaith.
a11y-enforcement-title = Y drefn orfodi
a11y-enforcement = Y Comisiwn Cydraddoldeb a Hawliau Dynol (EHRC) sy’n gorfodi Rheoliadau Hygyrchedd Cyrff Sector Cyhoeddus (Gwefannau ac Apiau Symudol) (Rhif 2) 2018. Os nad ydych yn fodlon â’r ffordd rydym yn ymateb i’ch cwyn, cysylltwch â’r Gwasanaeth Cynghori a Chefnogi Cydraddoldeb (EASS).
a11y-status-title = Statws cydymffurfio
a11y-status = Credwn fod y gwasanaeth hwn yn bodloni WCAG 2.2 lefel AA. Ni all profion awtomatig ddod o hyd i bob problem: rhowch wybod i ni am unrhyw broblem y dewch ar ei thraws.
privacy-title = Hysbysiad preifatrwydd
privacy-who-title = Pwy sy’n gyfrifol am eich data
privacy-who = { $operator } yw’r rheolydd data ar gyfer yr adborth rydych yn ei roi yn y gwasanaeth hwn.
privacy-what-title = Beth rydym yn ei gasglu
privacy-what-answers = eich atebion i’r arolwg, a’r amser y gwnaethoch eu hanfon
privacy-what-organisation = y sefydliad rydych yn ateb ar ei ran: cyngor o’r gofrestr, neu enw a sector sefydliad arall
privacy-what-language = yr iaith y gwnaethoch ateb ynddi
privacy-what-email = eich cyfeiriad e-bost, dim ond os ydych yn ei roi ac yn ticio’r blwch i gytuno ein bod yn ei gadw
privacy-what-not = Nid ydym yn gofyn am eich enw, ac nid ydym yn cofnodi o ble rydych yn cysylltu.
privacy-why-title = Pam rydym yn ei gasglu
privacy-why = I wella adnoddau’r ymgyrch. Ein sail gyfreithlon yw tasg gyhoeddus: mae’r ymgyrch yn rhan o waith y cyrff cyhoeddus sy’n ei chynnal. Ar gyfer eich cyfeiriad e-bost, eich caniatâd chi yw’r sail, a gallwch ei dynnu’n ôl ar unrhyw adeg.
privacy-keep-title = Am ba hyd rydym yn ei gadw
privacy-keep = Caiff eich cyfeiriad e-bost ei ddileu { $days } diwrnod ar ôl i chi anfon eich adborth. Caiff eich atebion eu cadw, hebddo, cyhyd ag y mae eu hangen ar yr ymgyrch.
privacy-see-title = Pwy sy’n gallu ei weld
privacy-see = Swyddogion tîm yr ymgyrch sy’n darllen yr adborth, ac arweinwyr y ffrydiau gwaith polisi sy’n cael crynodebau ohono. Nid ydym yn ei rannu ag unrhyw un arall ac nid ydym byth yn ei ddefnyddio ar gyfer marchnata.
privacy-rights-title = Eich hawliau
privacy-rights = Gallwch ofyn am gael gweld y data personol sydd gennym amdanoch, am ei gywiro neu ei ddileu, ac am dynnu’n ôl eich caniatâd i ni gadw eich cyfeiriad e-bost.
privacy-rights-how = Anfonwch e-bost at { $contact } a dyfynnwch eich cyfeirnod os yw gennych.
privacy-complain = Os nad ydych yn fodlon â’r ffordd rydym yn defnyddio eich data, gallwch gwyno i Swyddfa’r Comisiynydd Gwybodaeth (ICO): ico.org.uk, 0303 123 1113.
privacy-cookies-title = Cwcis
privacy-cookies = Mae’r tudalennau cyhoeddus yn defnyddio un cwci, lang, sy’n cofio’r iaith a ddewisoch am flwyddyn. Mae ei angen er mwyn i’r gwasanaeth weithio ac nid yw’n eich olrhain.

## Invitation links and unsubscribing
link-unknown-title = Nid yw’r ddolen hon yn cael ei hadnabod
link-unknown-body = Gwiriwch fod y ddolen gyfan wedi’i chopïo o’r e-bost. Gallwch roi adborth o hyd: ewch i dudalen yr ymgyrch a dewis eich cyngor.
unsubscribe-title = Atal negeseuon e-bost am yr ymgyrch hon
unsubscribe-body = Pwyswch y botwm ac ni fyddwn yn anfon rhagor o wahoddiadau na nodiadau atgoffa am { $campaign } i { $email }.
unsubscribe-button = Atal y negeseuon e-bost hyn
unsubscribe-done-title = Ni fyddwch yn cael rhagor o negeseuon e-bost am yr ymgyrch hon
unsubscribe-done-body = Ni fyddwn yn anfon rhagor o wahoddiadau na nodiadau atgoffa am { $campaign } i { $email }.
unsubscribe-still-welcome = Mae croeso i’ch adborth o hyd ar unrhyw adeg:
unsubscribe-campaign-link = rhowch adborth ar { $campaign }

## The embeddable "Was this useful?"
embed-wrong-site = Dim ond o dudalennau’r ymgyrch ei hun y gellir anfon y ffurflen hon. Rhowch eich adborth ar y wefan hon yn lle hynny.
embed-yes-or-no = Dewiswch ie neu na, yna anfonwch y ffurflen eto.
embed-more-title = Beth oedd ar goll?
embed-more-caption = Diolch: mae eich ateb wedi’i gadw
embed-more-send = Anfon
embed-more-skip = Hepgor y cwestiwn hwn
embed-thanks-title = Diolch am eich adborth
embed-thanks-body = Mae’n helpu’r ymgyrch i wella ei thudalennau. Gallwch gau’r dudalen hon, neu fynd yn ôl i’r dudalen roeddech chi’n ei darllen.
