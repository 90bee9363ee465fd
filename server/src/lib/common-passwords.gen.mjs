// Generates server/src/lib/common-passwords.txt (node common-passwords.gen.mjs > common-passwords.txt): common base words (English and Dutch)
// combined with the suffixes people add to reach a minimum length. Written by hand, not copied.
const words = `password wachtwoord welkom welkom01 geheim geheimpje qwerty qwertyuiop azerty asdfghjkl zxcvbnm
letmein iloveyou ikhouvanjou schatje liefje monkey dragon football voetbal ajax feyenoord psv
ajaxamsterdam amsterdam rotterdam utrecht nijmegen eindhoven groningen denhaag holland nederland
oranje sunshine princess prinses welcome admin administrator beheerder beheer master superman batman
starwars pokemon minecraft fortnite roblox computer internet school schooltje leerling docent ouder
kindkans stromenland regenboog familie gezin moeder vader mama papa oma opa baby kindje kinderen
hond kat poes konijn paard vogel vis tijger leeuw beer muis zomer winter lente herfst januari februari
maart april mei juni juli augustus september oktober november december maandag dinsdag woensdag
donderdag vrijdag zaterdag zondag trustno1 whatever shadow michael jennifer jordan hunter ranger
buster soccer hockey baseball charlie thomas robert daniel jessica ashley michelle nicole daniel
jan piet kees henk johan anna emma sophie julia lisa sanne lotte eva fleur daan sem lucas levi
noah finn bram thijs ruben tim lars jeroen mark peter sander dennis kevin bas martijn wouter
changeme changeit default secret secure security login access passw0rd p@ssword p@ssw0rd
abc abcdef abcdefg abcdefgh abcdefghij 123abc abc123 a1b2c3 1q2w3e 1q2w3e4r 1q2w3e4r5t qazwsx
qazwsxedc zaq12wsx 1qaz2wsx test tester testen testing proberen probeer gebruiker user
hallo hello hallo123 goedemorgen dankjewel lekker gezellig fiets auto huis tuin strand zon
football1 liverpool chelsea arsenal barcelona realmadrid juventus manchester united
mustang ferrari porsche mercedes bmw audi volkswagen toyota honda yamaha harley
flower bloem tulp roos cheese kaas chocolate chocola pizza friet patat banaan appel
love liefde hartje freedom vrijheid ninja samurai jesus god heaven hemel angel engel
killer hacker matrix gandalf frodo hogwarts harrypotter spiderman ironman hulk thor
summer dolphin dolfijn butterfly vlinder unicorn eenhoorn rainbow`.split(/\s+/).filter(Boolean);
const suffixes = ['', '1', '12', '123', '1234', '12345', '123456', '1234567', '!', '1!', '123!', '01', '007', '2000', '69', '99', '@123', '#1',
  ...Array.from({ length: 37 }, (_, i) => String(1990 + i))];
const set = new Set();
for (const w of words) for (const s of suffixes) {
  for (const v of [w + s, w[0].toUpperCase() + w.slice(1) + s]) set.add(v.toLowerCase());
}
for (const s of ['1234567890', '12345678910', '0123456789', '9876543210', '1111111111', '0000000000', '1234512345', '1122334455',
  'qwerty123456', 'aaaaaaaaaa', 'abcd1234abcd', 'password1234', 'iloveyou123', 'qwertyuiop123', 'wachtwoord1', 'Wachtwoord123']) set.add(s.toLowerCase());
for (let d = 0; d <= 9; d++) for (let n = 10; n <= 16; n++) set.add(String(d).repeat(n));
const list = [...set].filter((p) => p.length >= 8).sort();
process.stdout.write(`# Common passwords (lower case), refused at activation and reset. Generated from\n# common English and Dutch base words and the suffixes people add (digits, years, !).\n${list.join('\n')}\n`);
