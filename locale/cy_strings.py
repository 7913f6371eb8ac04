"""The Welsh for each English string (J8), kept in one place and written into locale/cy/LC_MESSAGES/django.po by
`python locale/cy_strings.py` (then `manage.py translations update` re-merges and compiles). A string left out
here stays untranslated in the catalogue and shows in English."""

CY = {
    'Telephone: <span class="contact">%(phone)s</span>': 'Ffôn: <span class="contact">%(phone)s</span>',
    'Email: %(email)s': 'E-bost: %(email)s',
    'Private: for the family': 'Preifat: i’r teulu',
    'Dear parent or carer,': 'Annwyl riant neu ofalwr,',
    'We know this is a worrying time for you and for %(name)s. We are here to help, and you can contact us at any time.':
        'Rydyn ni’n gwybod bod hwn yn gyfnod pryderus i chi ac i %(name)s. Rydyn ni yma i helpu, a gallwch gysylltu â ni unrhyw bryd.',
    'If you are worried, or want to talk about any of this, contact %(contact)s on <span class="contact">%(phone)s</span>. Outside school hours, if a child is in danger, call 999.':
        'Os ydych chi’n poeni, neu am siarad am unrhyw ran o hyn, cysylltwch â %(contact)s ar <span class="contact">%(phone)s</span>. Y tu allan i oriau ysgol, os yw plentyn mewn perygl, ffoniwch 999.',
    'If you are worried, or want to talk about any of this, contact %(contact)s. Outside school hours, if a child is in danger, call 999.':
        'Os ydych chi’n poeni, neu am siarad am unrhyw ran o hyn, cysylltwch â %(contact)s. Y tu allan i oriau ysgol, os yw plentyn mewn perygl, ffoniwch 999.',
    'If you are worried, or want to talk about any of this, call the school on <span class="contact">%(phone)s</span>. Outside school hours, if a child is in danger, call 999.':
        'Os ydych chi’n poeni, neu am siarad am unrhyw ran o hyn, ffoniwch yr ysgol ar <span class="contact">%(phone)s</span>. Y tu allan i oriau ysgol, os yw plentyn mewn perygl, ffoniwch 999.',
    'Yours sincerely,': 'Yn gywir,',
    'People who can help': 'Pobl sy’n gallu helpu',
    'Where to get help': 'Ble i gael help',
    'You can talk to any member of staff you trust at %(school)s, at any time.':
        'Gelli di siarad ag unrhyw aelod o staff rwyt ti’n ymddiried ynddo yn %(school)s, unrhyw bryd.',
    'Concern %(reference)s at %(school)s was not acknowledged by %(due)s: acknowledge it now, or check that someone has':
        'Ni chafodd pryder %(reference)s yn %(school)s ei gydnabod erbyn %(due)s: cydnabyddwch ef nawr, neu gwiriwch fod rhywun wedi gwneud hynny',
    'New concern %(reference)s at %(school)s: acknowledge it by %(due)s':
        'Pryder newydd %(reference)s yn %(school)s: cydnabyddwch ef erbyn %(due)s',
    'What happened to %(name)s (%(year)s)?': 'Beth ddigwyddodd i %(name)s (%(year)s)?',
    'Remove %(name)s': 'Tynnu %(name)s',
    'No child at this school matches “%(search)s”. Check the spelling, or describe the child in the account if they are not on roll here.':
        'Does dim plentyn yn yr ysgol hon yn cyfateb i “%(search)s”. Gwiriwch y sillafu, neu disgrifiwch y plentyn yn yr hanes os nad yw ar gofrestr yr ysgol hon.',
    'Add %(name)s <span class="govuk-!-font-weight-regular">(%(year)s)</span>':
        'Ychwanegu %(name)s <span class="govuk-!-font-weight-regular">(%(year)s)</span>',
    'Has a phone or other device been taken into safe keeping?': 'A yw ffôn neu ddyfais arall wedi cael ei chadw’n ddiogel?',
    'Never look through it, copy or forward anything from it.': 'Peidiwch byth ag edrych drwyddi, na chopïo nac anfon dim byd ymlaen ohoni.',
    'Yes': 'Ydy',
    'No': 'Nac ydy',
    'If a device was taken:': 'Os cafodd dyfais ei chymryd:',
    'How is the device isolated from networks?': 'Sut mae’r ddyfais wedi’i hynysu oddi wrth rwydweithiau?',
    'Flight mode is best: it keeps evidence safe. Switch it off only if flight mode is not possible.':
        'Modd awyren sydd orau: mae’n cadw tystiolaeth yn ddiogel. Diffoddwch hi dim ond os nad yw modd awyren yn bosibl.',
    'Where is the device kept now?': 'Ble mae’r ddyfais yn cael ei chadw nawr?',
    'For example: locked drawer in the DSL’s office.': 'Er enghraifft: drôr wedi’i gloi yn swyddfa’r person dynodedig diogelu.',
    'Have you told the designated safeguarding lead in person?': 'Ydych chi wedi dweud wrth y person dynodedig diogelu wyneb yn wyneb?',
    'Error: Report a concern': 'Gwall: Rhoi gwybod am bryder',
    'Report a concern': 'Rhoi gwybod am bryder',
    'You chose %(files)s, but a file cannot be kept while the problems above are put right. Choose it again before you send. PDF, Word (.docx) or plain text only; never a picture, video or screenshot.':
        'Fe ddewisoch chi %(files)s, ond does dim modd cadw ffeil tra bod y problemau uchod yn cael eu cywiro. Dewiswch hi eto cyn anfon. PDF, Word (.docx) neu destun plaen yn unig; byth llun, fideo na sgrinlun.',
    'PDF, Word (.docx) or plain text only. Never attach a picture, video or screenshot: describe it in words instead. Files are not kept in a draft, so attach yours just before you send.':
        'PDF, Word (.docx) neu destun plaen yn unig. Peidiwch byth ag atodi llun, fideo na sgrinlun: disgrifiwch ef mewn geiriau yn lle hynny. Dydy ffeiliau ddim yn cael eu cadw mewn drafft, felly atodwch eich ffeil ychydig cyn anfon.',
    'Attach a written statement (optional)': 'Atodi datganiad ysgrifenedig (dewisol)',
    'Draft saved': 'Drafft wedi’i gadw',
    'Send report': 'Anfon yr adroddiad',
    'The file could not be accepted: see below': 'Doedd dim modd derbyn y ffeil: gweler isod',
    'There is a problem': 'Mae problem',
    'If a child is in immediate danger, call 999 now and then tell your designated safeguarding lead in person.':
        'Os yw plentyn mewn perygl uniongyrchol, ffoniwch 999 nawr ac yna dywedwch wrth eich person dynodedig diogelu wyneb yn wyneb.',
    'Your report goes straight to the people who need to see it. It saves as you type, so nothing is lost if you are interrupted.':
        'Mae eich adroddiad yn mynd yn syth at y bobl sydd angen ei weld. Mae’n cadw wrth i chi deipio, felly does dim yn cael ei golli os bydd rhywun yn torri ar eich traws.',
    'Who is the concern about?': 'Am bwy mae’r pryder?',
    'They will never see this report.': 'Fyddan nhw byth yn gweld yr adroddiad hwn.',
    'Choose a member of staff': 'Dewiswch aelod o staff',
    'Web address (URL), if known': 'Cyfeiriad gwe (URL), os yw’n hysbys',
    'Device or user account': 'Dyfais neu gyfrif defnyddiwr',
    'Describe it in words. Do not take a screenshot.': 'Disgrifiwch ef mewn geiriau. Peidiwch â thynnu sgrinlun.',
    'What was blocked or seen': 'Beth gafodd ei rwystro neu ei weld',
    'Has the filtering or monitoring provider been told?': 'Ydy’r darparwr hidlo neu fonitro wedi cael gwybod?',
    'Have the parents or carers been told?': 'Ydy’r rhieni neu’r gofalwyr wedi cael gwybod?',
    'This goes to the headteacher, or to the chair of governors if it is about the headteacher.':
        'Mae hwn yn mynd at y pennaeth, neu at gadeirydd y llywodraethwyr os yw’n ymwneud â’r pennaeth.',
    'If it is about a member of staff, name them below: it goes to the headteacher, not the safeguarding team.':
        'Os yw’n ymwneud ag aelod o staff, enwch nhw isod: mae’n mynd at y pennaeth, nid y tîm diogelu.',
    'What kind of concern is it?': 'Pa fath o bryder ydyw?',
    'Choose the closest. The safeguarding lead can change it.': 'Dewiswch yr agosaf. Gall y person dynodedig diogelu ei newid.',
    'If the concern is about a member of staff': 'Os yw’r pryder am aelod o staff',
    'If it is a filtering or monitoring breach': 'Os yw’n achos o dorri’r hidlo neu’r monitro',
    'Children involved': 'Y plant dan sylw',
    'Add each child, then say what happened to that child. Each child has their own answer.':
        'Ychwanegwch bob plentyn, yna dywedwch beth ddigwyddodd i’r plentyn hwnnw. Mae gan bob plentyn ei ateb ei hun.',
    'Error:': 'Gwall:',
    'Search for a child by name': 'Chwilio am blentyn yn ôl ei enw',
    'Type at least 2 letters of their first name or surname.': 'Teipiwch o leiaf 2 lythyren o’i enw cyntaf neu ei gyfenw.',
    'Find child': 'Dod o hyd i’r plentyn',
    'What happened': 'Beth ddigwyddodd',
    'When did it happen? (optional)': 'Pryd digwyddodd hyn? (dewisol)',
    'Where did it happen? (optional)': 'Ble digwyddodd hyn? (dewisol)',
    'For example: on a group chat at home, in the Year 9 toilets, on the school bus.':
        'Er enghraifft: ar sgwrs grŵp gartref, yn nhoiledau Blwyddyn 9, ar fws yr ysgol.',
    'What did the child say, or what did you see?': 'Beth ddywedodd y plentyn, neu beth welsoch chi?',
    'Write the child’s own words as closely as you can. Record facts, not opinions. Do not ask leading questions.':
        'Ysgrifennwch eiriau’r plentyn ei hun mor agos ag y gallwch. Cofnodwch ffeithiau, nid barn. Peidiwch â gofyn cwestiynau arweiniol.',
    'Who did the child tell? (optional)': 'Wrth bwy ddywedodd y plentyn? (dewisol)',
    'When did they tell them? (optional)': 'Pryd dywedodd y plentyn wrthyn nhw? (dewisol)',
    'What has been done already': 'Beth sydd wedi’i wneud yn barod',
    'What have you done so far? (optional)': 'Beth ydych chi wedi’i wneud hyd yma? (dewisol)',
    'What happens next': 'Beth sy’n digwydd nesaf',
    'The headteacher has been told. This page will show when it has been picked up.':
        'Mae’r pennaeth wedi cael gwybod. Bydd y dudalen hon yn dangos pan fydd wedi cael sylw.',
    'The chair of governors has been told. This page will show when it has been picked up.':
        'Mae cadeirydd y llywodraethwyr wedi cael gwybod. Bydd y dudalen hon yn dangos pan fydd wedi cael sylw.',
    'Your designated safeguarding lead and their deputies have been told. This page will show when they have picked up.':
        'Mae eich person dynodedig diogelu a’i ddirprwyon wedi cael gwybod. Bydd y dudalen hon yn dangos pan fyddan nhw wedi rhoi sylw iddo.',
    'If you are worried about a child’s safety right now, find the designated safeguarding lead in person, or call 999 in an emergency.':
        'Os ydych chi’n poeni am ddiogelwch plentyn ar hyn o bryd, ewch i weld y person dynodedig diogelu wyneb yn wyneb, neu ffoniwch 999 mewn argyfwng.',
    'Report %(reference)s': 'Adroddiad %(reference)s',
    'The headteacher picked up your report on %(date)s. Thank you for telling them.':
        'Rhoddodd y pennaeth sylw i’ch adroddiad ar %(date)s. Diolch am roi gwybod.',
    'The chair of governors picked up your report on %(date)s. Thank you for telling them.':
        'Rhoddodd cadeirydd y llywodraethwyr sylw i’ch adroddiad ar %(date)s. Diolch am roi gwybod.',
    'Your designated safeguarding lead and their deputies picked up your report on %(date)s. Thank you for telling them.':
        'Rhoddodd eich person dynodedig diogelu a’i ddirprwyon sylw i’ch adroddiad ar %(date)s. Diolch am roi gwybod.',
    'Your report has been dealt with and the matter is closed. Thank you for telling them.':
        'Mae eich adroddiad wedi cael ei drin ac mae’r mater wedi’i gau. Diolch am roi gwybod.',
    'Your report has been dealt with and the matter is closed. Thank you for telling the person who handled it.':
        'Mae eich adroddiad wedi cael ei drin ac mae’r mater wedi’i gau. Diolch am roi gwybod i’r person a wnaeth ei drin.',
    'Reference': 'Cyfeirnod',
    'Sent': 'Anfonwyd',
    'Kind of concern': 'Math o bryder',
    'Status': 'Statws',
    'See all your reports': 'Gweld eich holl adroddiadau',
    'To protect the children involved, what happens next is shared only with the people handling it.':
        'Er mwyn diogelu’r plant dan sylw, dim ond gyda’r bobl sy’n ei drin y caiff yr hyn sy’n digwydd nesaf ei rannu.',
    'Report sent': 'Adroddiad wedi’i anfon',
    'Your reference<br><strong>%(reference)s</strong>': 'Eich cyfeirnod<br><strong>%(reference)s</strong>',
    'Sharing nudes or semi-nudes': 'Rhannu lluniau noeth neu hanner noeth',
    'Sextortion (threats to share images, often for money)': 'Secstortio (bygwth rhannu delweddau, yn aml am arian)',
    'Online grooming or sexual abuse': 'Meithrin perthynas amhriodol ar-lein neu gam-drin rhywiol',
    'Indecent images of children found': 'Dod o hyd i ddelweddau anweddus o blant',
    'Upskirting': 'Tynnu lluniau o dan ddillad (upskirting)',
    'Deepfake or AI-made image of a child': 'Ffug-ddelwedd (deepfake) neu ddelwedd o blentyn wedi’i gwneud gan AI',
    'Cyberbullying': 'Seiberfwlio',
    'Online hate': 'Casineb ar-lein',
    'Radicalisation or extremism': 'Radicaleiddio neu eithafiaeth',
    'Misinformation, disinformation or conspiracy theories': 'Camwybodaeth, twyllwybodaeth neu ddamcaniaethau cynllwyn',
    'Filtering or monitoring breach': 'Torri’r hidlo neu’r monitro',
    'Concern about a member of staff': 'Pryder am aelod o staff',
    'Other online-safety concern': 'Pryder arall am ddiogelwch ar-lein',
    'Pictured in the imagery': 'Yn y ddelwedd',
    'Sent it': 'Wedi’i hanfon',
    'Received it': 'Wedi’i derbyn',
    'Shared it onward': 'Wedi’i rhannu ymlaen',
    'Created it': 'Wedi’i chreu',
    'Was bullied, targeted or harmed': 'Wedi cael ei fwlio, ei dargedu neu ei niweidio',
    'Bullied, targeted or harmed others': 'Wedi bwlio, targedu neu niweidio eraill',
    'Saw it or was told about it': 'Wedi’i gweld neu wedi clywed amdani',
    'Told a member of staff': 'Wedi dweud wrth aelod o staff',
    'Other or not yet known': 'Arall neu ddim yn hysbys eto',
    'Put in flight mode (kept switched on)': 'Yn y modd awyren (wedi’i chadw ymlaen)',
    'Switched off (flight mode was not possible)': 'Wedi’i diffodd (doedd modd awyren ddim yn bosibl)',
    'Not isolated yet': 'Heb ei hynysu eto',
    'Safeguarding team': 'Tîm diogelu',
    'Headteacher': 'Pennaeth',
    'Chair of governors': 'Cadeirydd y llywodraethwyr',
    'About this demonstration': 'Am yr arddangosiad hwn',
    'Demo': 'Arddangos',
    'This is a demonstration with fictional people. Never enter a real child’s details here.':
        'Arddangosiad gyda phobl ddychmygol yw hwn. Peidiwch byth â rhoi manylion plentyn go iawn yma.',
    'Skip to main content': 'Neidio i’r prif gynnwys',
    'Important': 'Pwysig',
    'Success': 'Llwyddiant',
    'Support links': 'Dolenni cymorth',
    'Accessibility statement': 'Datganiad hygyrchedd',
    'Harbour keeps children safe online. Open-source software for schools and trusts. Licence: GNU Affero General Public License, version 3 or later.':
        'Mae Harbour yn cadw plant yn ddiogel ar-lein. Meddalwedd cod agored i ysgolion ac ymddiriedolaethau. Trwydded: GNU Affero General Public License, fersiwn 3 neu ddiweddarach.',
    'School': 'Ysgol',
    'Switch': 'Newid',
    'Sign out': 'Allgofnodi',
    'Home': 'Hafan',
    '%(count)s<span class="govuk-visually-hidden"> unread</span>': '%(count)s<span class="govuk-visually-hidden"> heb eu darllen</span>',
    'Notifications': 'Hysbysiadau',
    'Concerns inbox': 'Mewnflwch pryderon',
    'Cases': 'Achosion',
    'Dashboard': 'Dangosfwrdd',
    'Governor report': 'Adroddiad i lywodraethwyr',
    'Procedures': 'Gweithdrefnau',
    'Registers': 'Cofrestrau',
    'Records': 'Cofnodion',
    'Menu': 'Dewislen',
    "This email never contains the details of a concern or a child's name: sign in to Harbour to see them. Do not forward it.":
        'Dydy’r e-bost hwn byth yn cynnwys manylion pryder nac enw plentyn: mewngofnodwch i Harbour i’w gweld. Peidiwch â’i anfon ymlaen.',
    'Harbour: %(notice)s': 'Harbour: %(notice)s',
    '%(notice)s\n\nOpen it in Harbour:\n%(link)s\n\n%(footer)s\n': '%(notice)s\n\nAgorwch ef yn Harbour:\n%(link)s\n\n%(footer)s\n',
    'These are waiting for you in Harbour. Anything urgent was emailed to you when it happened.':
        'Mae’r rhain yn aros amdanoch chi yn Harbour. Cafodd unrhyw beth brys ei anfon atoch chi mewn e-bost pan ddigwyddodd.',
    '%(count)s new. Opening one takes you to what it needs and marks it as read.':
        '%(count)s newydd. Mae agor un yn mynd â chi at yr hyn sydd ei angen ac yn ei nodi fel wedi’i ddarllen.',
    'Mark all as read': 'Nodi pob un fel wedi’i ddarllen',
    'You have no new notifications.': 'Does gennych chi ddim hysbysiadau newydd.',
    'Read': 'Wedi’u darllen',
    'New': 'Newydd',
    'New concerns': 'Pryderon newydd',
    'Referrals needed now': 'Atgyfeiriadau sydd eu hangen nawr',
    'Waiting for your sign-off': 'Yn aros i chi eu cymeradwyo',
    'Overdue steps': 'Camau hwyr',
    'Other notices': 'Hysbysiadau eraill',
    # The words of a school in Wales for its safeguarding lead (schools/nations.py), in Welsh.
    'designated safeguarding person': 'person dynodedig diogelu',
    'Designated safeguarding person': 'Person dynodedig diogelu',
    'Deputy designated safeguarding person': 'Dirprwy berson dynodedig diogelu',
    'deputy designated safeguarding person': 'dirprwy berson dynodedig diogelu',
    'designated safeguarding person (DSP)': 'person dynodedig diogelu (PDD)',
    'If a child is in immediate danger, call 999 now and then tell your designated safeguarding person in person.':
        'Os yw plentyn mewn perygl uniongyrchol, ffoniwch 999 nawr ac yna dywedwch wrth eich person dynodedig diogelu wyneb yn wyneb.',
    'Have you told the designated safeguarding person yourself?': 'Ydych chi wedi dweud wrth y person dynodedig diogelu eich hun?',
    'Say whether you have already told the designated safeguarding person yourself':
        'Dywedwch a ydych chi eisoes wedi dweud wrth y person dynodedig diogelu eich hun',
    'Your designated safeguarding person and their deputies have been told.':
        'Mae eich person dynodedig diogelu a’i ddirprwyon wedi cael gwybod.',
    'If you are worried about a child’s safety right now, find the designated safeguarding person, or call 999 in an emergency.':
        'Os ydych chi’n poeni am ddiogelwch plentyn ar hyn o bryd, ewch i weld y person dynodedig diogelu, neu ffoniwch 999 mewn argyfwng.',
}

PLURALS = {
    'Harbour: %(count)d thing waiting for you at %(school)s':
        ['Harbour: %(count)d peth yn aros amdanoch chi yn %(school)s'] * 4,
    'Harbour: %(count)d thing waiting for you at %(schools)d schools':
        ['Harbour: %(count)d peth yn aros amdanoch chi mewn %(schools)d ysgol'] * 4,
}

HEADER = (
    'msgid ""\nmsgstr ""\n'
    '"Project-Id-Version: Harbour\\n"\n'
    '"Language-Team: Welsh\\n"\n'
    '"Language: cy\\n"\n'
    '"MIME-Version: 1.0\\n"\n'
    '"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Content-Transfer-Encoding: 8bit\\n"\n'
    '"Plural-Forms: nplurals=4; plural=(n==1) ? 0 : (n==2) ? 1 : (n != 8 && n != 11) ? 2 : 3;\\n"\n'
)


def _quote(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def write(pot, po):
    """Write `po` from the template `pot`: every entry, with its Welsh from CY and PLURALS where there is one."""
    import re

    out = [HEADER]
    for block in pot.read_text(encoding="utf-8").split("\n\n")[1:]:
        lines = [line for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        msgid = next(line for line in lines if line.startswith("msgid "))
        text = re.sub(r'\\(.)', lambda m: {"n": "\n"}.get(m.group(1), m.group(1)), msgid[7:-1])
        kept = [line for line in lines if not line.startswith("msgstr")]
        if any(line.startswith("msgid_plural") for line in lines):
            forms = PLURALS.get(text, [""] * 4)
            kept += [f"msgstr[{n}] {_quote(form)}" for n, form in enumerate(forms)]
        else:
            kept.append(f"msgstr {_quote(CY.get(text, ''))}")
        out.append("\n".join(kept))
    po.write_text("\n\n".join(out) + "\n", encoding="utf-8")


if __name__ == "__main__":
    from pathlib import Path

    here = Path(__file__).resolve().parent
    write(here / "harbour.pot", here / "cy" / "LC_MESSAGES" / "django.po")
