package seed

// Demo-data pools for Seed: websites, customer groups, names by language,
// and per country its phone formats and places (region, city, postcode).
//
// Patterns (postcodes and phone numbers): '#' is a digit 0-9, '$' a digit
// 1-9, '@' an upper-case letter; every other character is copied.

// seedWebsite is one demo website and how its customers are spread over
// countries.
type seedWebsite struct {
	code, name string
	share      int          // relative share of all customers
	countries  []weightedCC // where its customers live
	names      *namePool    // names for customers without an address
}

type weightedCC struct {
	code string
	w    int
}

// seedGroup is one demo customer group and how its customers buy.
type seedGroup struct {
	code, name  string
	share       int   // relative share of customers
	orderWeight int   // multiplies the customer's order frequency
	basketCents int64 // median order total, in cents
}

var seedGroups = []seedGroup{
	{code: "general", name: "General", share: 78, orderWeight: 1, basketCents: 6500},
	{code: "wholesale", name: "Wholesale", share: 7, orderWeight: 2, basketCents: 52000},
	{code: "retailer", name: "Retailer", share: 10, orderWeight: 2, basketCents: 17500},
	{code: "vip", name: "VIP", share: 5, orderWeight: 3, basketCents: 21000},
}

var seedWebsites = []seedWebsite{
	{code: "se", name: "Sweden Store", share: 50, names: swedish, countries: []weightedCC{
		{"SE", 880}, {"NO", 25}, {"FI", 30}, {"DK", 20}, {"DE", 10}, {"GB", 8}, {"US", 7},
		{"IS", 5}, {"PL", 5}, {"ES", 3}, {"NL", 3}, {"FR", 2}, {"IT", 2},
	}},
	{code: "no", name: "Norway Store", share: 20, names: norwegian, countries: []weightedCC{
		{"NO", 880}, {"SE", 50}, {"DK", 20}, {"FI", 8}, {"GB", 12}, {"DE", 8}, {"PL", 10},
		{"IS", 6}, {"US", 6},
	}},
	{code: "intl", name: "International Store", share: 30, names: english, countries: []weightedCC{
		{"US", 220}, {"DE", 160}, {"GB", 150}, {"FR", 80}, {"NL", 70}, {"ES", 60}, {"IT", 50},
		{"PL", 50}, {"DK", 40}, {"SE", 35}, {"FI", 30}, {"NO", 30}, {"IS", 10},
	}},
}

// namePool holds a language's names. lastFemale, when set, parallels last
// with the feminine forms (Polish -ska, Icelandic -dóttir).
type namePool struct {
	male, female     []string
	last, lastFemale []string
}

var swedish = &namePool{
	male: []string{"Björn", "Sören", "Erik", "Lars", "Johan", "Anders", "Per", "Mikael", "Gustav", "Oskar",
		"Göran", "Håkan", "Måns", "Kjell", "Ulf", "Nils", "Axel", "Olle", "Leif", "Stig", "Per-Olof",
		"Magnus", "Fredrik", "Henrik", "Jöns", "Elias", "Hugo", "Linus", "Tage", "Åke"},
	female: []string{"Åsa", "Märta", "Anna", "Karin", "Maria", "Sofia", "Eva", "Lena", "Ingrid", "Astrid",
		"Elsa", "Linnéa", "Maja", "Agnes", "Ebba", "Wilma", "Stina", "Annika", "Anna-Karin", "Britt",
		"Birgitta", "Kerstin", "Margareta", "Signe", "Ylva", "Saga", "Tove", "Frida", "Majken", "Gunnel"},
	last: []string{"Ångström", "Öberg", "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson",
		"Larsson", "Olsson", "Persson", "Svensson", "Gustafsson", "Pettersson", "Jönsson", "Lindström",
		"Åberg", "Sjöberg", "Bergström", "Lindqvist", "Söderberg", "Hägglund", "Nyström", "Ekström",
		"Strömberg", "Lundgren", "Holmström", "Blomqvist", "Åkesson", "Björk", "Ståhl", "Löfgren",
		"Wästberg", "Engström", "Forsberg", "Sandström", "Fältskog", "Hedlund", "Mårtensson"},
}

var norwegian = &namePool{
	male: []string{"Øystein", "Ørjan", "Ole", "Bjørn", "Håkon", "Trond", "Tormod", "Eirik", "Jørgen",
		"Stian", "Anders", "Jonas", "Knut", "Sindre", "Espen", "Geir", "Torbjørn", "Magnus", "Sverre",
		"Halvard", "Aksel", "Ådne", "Even", "Vegard"},
	female: []string{"Ingrid", "Kari", "Solveig", "Sigrid", "Silje", "Ragnhild", "Åse", "Kjersti",
		"Marte", "Tiril", "Frøya", "Nora", "Ingeborg", "Randi", "Hege", "Ane", "Synnøve", "Guro",
		"Maren", "Tuva", "Live", "Gro", "Bodil", "Sølvi"},
	last: []string{"Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen",
		"Kristiansen", "Jensen", "Karlsen", "Haugen", "Bakke", "Solberg", "Sæther", "Bråten", "Løken",
		"Strøm", "Dahl", "Lie", "Berg", "Haaland", "Hågensen", "Kvåle", "Ødegård", "Aasen", "Østby",
		"Ringstad", "Nordmo", "Kjølstad", "Brække", "Tveit", "Fjeld", "Myhre", "Sørlie"},
}

var danish = &namePool{
	male: []string{"Søren", "Jens", "Rasmus", "Mads", "Niels", "Frederik", "Anders", "Jesper", "Bo",
		"Mikkel", "Kasper", "Morten", "Troels", "Asger", "Bjarke", "Carsten", "Jørn", "Poul"},
	female: []string{"Mette", "Freja", "Line", "Kirsten", "Ida", "Signe", "Sofie", "Lærke", "Birthe",
		"Pernille", "Camilla", "Trine", "Ditte", "Malene", "Hanne", "Rikke", "Karen", "Aase"},
	last: []string{"Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen",
		"Sørensen", "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Møller", "Thomsen",
		"Kjær", "Højgaard", "Mørch", "Bæk", "Østergaard", "Frandsen", "Lauridsen", "Holm", "Dalgaard"},
}

var finnish = &namePool{
	male: []string{"Eero", "Juha", "Mikko", "Jussi", "Väinö", "Heikki", "Lauri", "Jyrki", "Timo", "Petri",
		"Ville", "Antti", "Matti", "Pekka", "Jari", "Kalle", "Teemu", "Tuomas", "Onni", "Eetu"},
	female: []string{"Aino", "Päivi", "Sanna", "Tiina", "Kaisa", "Ilona", "Sisko", "Elina", "Sinikka",
		"Johanna", "Riikka", "Satu", "Minna", "Hanna", "Liisa", "Tuula", "Helmi", "Eevi", "Venla", "Pirjo"},
	last: []string{"Korhonen", "Virtanen", "Mäkinen", "Nieminen", "Mäkelä", "Hämäläinen", "Laine",
		"Heikkinen", "Koskinen", "Järvinen", "Lehtonen", "Lehtinen", "Saarinen", "Salminen", "Heinonen",
		"Niemi", "Kärkkäinen", "Väisänen", "Pöyhönen", "Räsänen", "Ahonen", "Kettunen", "Lyytikäinen"},
}

var icelandic = &namePool{
	male: []string{"Jón", "Þórður", "Ólafur", "Gunnar", "Ásgeir", "Einar", "Sigurður", "Guðmundur",
		"Kristján", "Ragnar", "Bjarni", "Hörður"},
	female: []string{"Guðrún", "Sigríður", "Björk", "Kristín", "Hildur", "Þóra", "Ragnheiður",
		"Helga", "Sólveig", "Halldóra", "Ásdís", "Eyrún"},
	last: []string{"Jónsson", "Sigurðsson", "Guðmundsson", "Ólafsson", "Þórsson", "Magnússon",
		"Einarsson", "Björnsson", "Stefánsson", "Gunnarsson", "Kristjánsson", "Hauksson"},
	lastFemale: []string{"Jónsdóttir", "Sigurðardóttir", "Guðmundsdóttir", "Ólafsdóttir", "Þórsdóttir",
		"Magnúsdóttir", "Einarsdóttir", "Björnsdóttir", "Stefánsdóttir", "Gunnarsdóttir",
		"Kristjánsdóttir", "Hauksdóttir"},
}

var german = &namePool{
	male: []string{"Jürgen", "Günther", "Jörg", "Uwe", "Klaus", "Stefan", "Lukas", "Jonas", "Matthias",
		"Thomas", "Andreas", "Sören", "Björn", "Maximilian", "Felix", "Jörn", "Dieter", "Wolfgang",
		"Ralf", "Timo"},
	female: []string{"Käthe", "Brigitte", "Monika", "Sabine", "Anja", "Lea", "Hannah", "Lena", "Ursula",
		"Jülide", "Annegret", "Birgit", "Claudia", "Dörte", "Heike", "Katrin", "Maike", "Mia", "Greta", "Frieda"},
	last: []string{"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
		"Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder",
		"Neumann", "Schwarz", "Zimmermann", "Krüger", "Hofmann", "Hartmann", "Lange", "Köhler", "Weiß",
		"Groß", "Böhm", "Jäger", "Vogel", "Döring", "Fuß"},
}

var english = &namePool{
	male: []string{"James", "Oliver", "Harry", "George", "William", "Jack", "Thomas", "Noah", "Liam",
		"Ethan", "Michael", "David", "Daniel", "Matthew", "Samuel", "Joseph", "Benjamin", "Christopher",
		"Andrew", "Ryan", "Tyler", "Connor", "Seán", "Rhys"},
	female: []string{"Olivia", "Amelia", "Isla", "Emily", "Zoë", "Chloe", "Sophie", "Emma", "Charlotte",
		"Ava", "Mia", "Grace", "Ella", "Renée", "Hannah", "Jessica", "Sarah", "Megan", "Abigail",
		"Madison", "Siobhán", "Niamh", "Eleanor", "Ruby"},
	last: []string{"Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson",
		"Thomas", "Johnson", "Roberts", "Walker", "Wright", "Robinson", "Thompson", "White", "Hughes",
		"Edwards", "Green", "Hall", "Wood", "Harris", "Martin", "Jackson", "Clarke", "Miller", "Davis",
		"Garcia", "Anderson", "Nelson", "O'Brien", "O'Connor", "McDonald", "Lee", "Nguyen", "Patel",
		"Kowalski", "Lindqvist", "Peterson", "Olson"},
}

var spanish = &namePool{
	male: []string{"José", "Antonio", "Manuel", "Francisco", "Javier", "Álvaro", "Sergio", "Pablo",
		"Jesús", "Alejandro", "Andrés", "Raúl", "Íñigo", "Óscar"},
	female: []string{"María", "Carmen", "Lucía", "Ana", "Laura", "Marta", "Elena", "Inés", "Begoña",
		"Nuria", "Sofía", "Ángela", "Pilar", "Rocío"},
	last: []string{"García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez",
		"Pérez", "Gómez", "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno", "Muñoz",
		"Álvarez", "Romero", "Ibáñez", "Peña", "Castaño", "Núñez"},
}

var french = &namePool{
	male: []string{"Jean", "Pierre", "Étienne", "François", "Benoît", "Jérôme", "Loïc", "Théo", "Hugo",
		"Gaël", "Nicolas", "Julien", "Rémi", "Mathéo"},
	female: []string{"Amélie", "Chloé", "Zoé", "Léa", "Hélène", "Céline", "Margaux", "Inès", "Océane",
		"Noémie", "Camille", "Élodie", "Françoise", "Anaïs"},
	last: []string{"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
		"Leroy", "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Fournier", "Girard", "Bonnet",
		"Dupont", "Lambert", "Fontaine", "Rousseau", "Chevalier", "Lemaître", "Bérenger", "Garçon"},
}

var dutch = &namePool{
	male: []string{"Daan", "Sem", "Lucas", "Bram", "Jeroen", "Pieter", "Joost", "Sjoerd", "Maarten",
		"Ruud", "Thijs", "Niels"},
	female: []string{"Emma", "Sanne", "Fleur", "Anouk", "Lotte", "Femke", "Marieke", "Eline", "Noor",
		"Saskia", "Ilse", "Floor"},
	last: []string{"de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen",
		"Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters",
		"Hendriks", "van Leeuwen", "Dekker", "Brouwer", "van 't Hof", "IJzerman"},
}

var italian = &namePool{
	male: []string{"Giuseppe", "Marco", "Luca", "Francesco", "Niccolò", "Matteo", "Andrea", "Lorenzo",
		"Alessandro", "Davide"},
	female: []string{"Giulia", "Francesca", "Chiara", "Sofia", "Aurora", "Alessia", "Martina",
		"Federica", "Beatrice", "Noemi"},
	last: []string{"Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci",
		"Marino", "Greco", "Bruno", "Gallo", "Conti", "De Luca", "Costa", "Giordano", "Mancini",
		"Lombardi", "Fabbrì", "D'Angelo"},
}

var polish = &namePool{
	male: []string{"Piotr", "Krzysztof", "Andrzej", "Tomasz", "Paweł", "Michał", "Łukasz", "Jakub",
		"Grzegorz", "Wojciech", "Maciej", "Bartłomiej"},
	female: []string{"Anna", "Małgorzata", "Agnieszka", "Katarzyna", "Ewa", "Zofia", "Joanna",
		"Magdalena", "Żaneta", "Barbara", "Jadwiga", "Urszula"},
	last: []string{"Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski",
		"Zieliński", "Szymański", "Woźniak", "Dąbrowski", "Kozłowski", "Mazur", "Jankowski"},
	lastFemale: []string{"Nowak", "Kowalska", "Wiśniewska", "Wójcik", "Kowalczyk", "Kamińska",
		"Lewandowska", "Zielińska", "Szymańska", "Woźniak", "Dąbrowska", "Kozłowska", "Mazur", "Jankowska"},
}

// allNamePools is every pool, for customers whose names do not follow
// their country.
var allNamePools = []*namePool{swedish, norwegian, danish, finnish, icelandic, german, english,
	spanish, french, dutch, italian, polish}

// seedCountry is a country customers live in.
type seedCountry struct {
	names     *namePool
	phones    []string // phone patterns
	places    []place
	placeW    int // sum of place weights, computed at init
	domains   []weighted
	domainW   int // sum of domain weights, computed at init
	altNames  *namePool
	altNamesP int // percent of customers named from altNames instead of names
}

// place is a city with its region (empty: none) and postcode pattern; phone,
// when set, overrides the country's phone patterns (US area codes).
type place struct {
	region, city, zip, phone string
	w                        int
}

type weighted struct {
	s string
	w int
}

var commonDomains = []weighted{{"gmail.com", 40}, {"outlook.com", 12}, {"hotmail.com", 12},
	{"yahoo.com", 8}, {"icloud.com", 10}}

func domains(extra ...weighted) []weighted {
	return append(append([]weighted(nil), commonDomains...), extra...)
}

var seedCountries = map[string]*seedCountry{
	"SE": {names: swedish, altNames: finnish, altNamesP: 3,
		phones:  []string{"+46 70 ### ## ##", "+46 72 ### ## ##", "+46 73 ### ## ##", "+46 76 ### ## ##", "+46 8 ### ### ##"},
		domains: domains(weighted{"telia.com", 8}, weighted{"live.se", 6}, weighted{"bredband.net", 3}, weighted{"yahoo.se", 3}),
		places: []place{
			{region: "Stockholms län", city: "Stockholm", zip: "1$# ##", w: 30},
			{region: "Stockholms län", city: "Solna", zip: "169 ##", w: 4},
			{region: "Stockholms län", city: "Södertälje", zip: "151 ##", w: 3},
			{region: "Stockholms län", city: "Täby", zip: "183 ##", w: 2},
			{region: "Stockholms län", city: "Nacka", zip: "131 ##", w: 3},
			{region: "Västra Götalands län", city: "Göteborg", zip: "41# ##", w: 14},
			{region: "Västra Götalands län", city: "Borås", zip: "50# ##", w: 3},
			{region: "Västra Götalands län", city: "Trollhättan", zip: "461 ##", w: 2},
			{region: "Skåne län", city: "Malmö", zip: "21# ##", w: 9},
			{region: "Skåne län", city: "Lund", zip: "22# ##", w: 4},
			{region: "Skåne län", city: "Helsingborg", zip: "25# ##", w: 4},
			{region: "Uppsala län", city: "Uppsala", zip: "75# ##", w: 5},
			{region: "Östergötlands län", city: "Linköping", zip: "58# ##", w: 4},
			{region: "Östergötlands län", city: "Norrköping", zip: "60# ##", w: 4},
			{region: "Örebro län", city: "Örebro", zip: "70# ##", w: 3},
			{region: "Västerbottens län", city: "Umeå", zip: "90# ##", w: 3},
			{region: "Jönköpings län", city: "Jönköping", zip: "55# ##", w: 3},
			{region: "Västmanlands län", city: "Västerås", zip: "72# ##", w: 3},
			{region: "Gävleborgs län", city: "Gävle", zip: "80# ##", w: 2},
			{region: "Norrbottens län", city: "Luleå", zip: "97# ##", w: 2},
			{region: "Norrbottens län", city: "Kiruna", zip: "981 ##", w: 1},
			{region: "Dalarnas län", city: "Falun", zip: "791 ##", w: 1},
			{region: "Gotlands län", city: "Visby", zip: "621 ##", w: 1},
		}},
	"NO": {names: norwegian, altNames: swedish, altNamesP: 3,
		phones:  []string{"+47 4## ## ###", "+47 9## ## ###"},
		domains: domains(weighted{"online.no", 8}, weighted{"live.no", 5}, weighted{"getmail.no", 3}),
		places: []place{
			{region: "Oslo", city: "Oslo", zip: "0$##", w: 30},
			{region: "Vestland", city: "Bergen", zip: "50##", w: 12},
			{region: "Trøndelag", city: "Trondheim", zip: "70##", w: 8},
			{region: "Rogaland", city: "Stavanger", zip: "40##", w: 7},
			{region: "Rogaland", city: "Sandnes", zip: "43##", w: 3},
			{region: "Akershus", city: "Bærum", zip: "13##", w: 5},
			{region: "Akershus", city: "Lillestrøm", zip: "20##", w: 4},
			{region: "Østfold", city: "Fredrikstad", zip: "16##", w: 3},
			{region: "Buskerud", city: "Drammen", zip: "30##", w: 3},
			{region: "Agder", city: "Kristiansand", zip: "46##", w: 3},
			{region: "Troms", city: "Tromsø", zip: "90##", w: 3},
			{region: "Nordland", city: "Bodø", zip: "80##", w: 2},
			{region: "Innlandet", city: "Hamar", zip: "23##", w: 2},
			{region: "Innlandet", city: "Lillehammer", zip: "26##", w: 2},
			{region: "Vestfold", city: "Tønsberg", zip: "31##", w: 2},
			{region: "Møre og Romsdal", city: "Ålesund", zip: "60##", w: 2},
		}},
	"DK": {names: danish,
		phones:  []string{"+45 2# ## ## ##", "+45 4# ## ## ##", "+45 5# ## ## ##", "+45 6# ## ## ##"},
		domains: domains(weighted{"mail.dk", 6}, weighted{"jubii.dk", 2}, weighted{"live.dk", 4}),
		places: []place{
			{region: "Region Hovedstaden", city: "København", zip: "1###", w: 20},
			{region: "Region Hovedstaden", city: "Frederiksberg", zip: "20##", w: 5},
			{region: "Region Midtjylland", city: "Aarhus", zip: "80##", w: 10},
			{region: "Region Midtjylland", city: "Randers", zip: "89##", w: 2},
			{region: "Region Syddanmark", city: "Odense", zip: "5###", w: 6},
			{region: "Region Syddanmark", city: "Esbjerg", zip: "67##", w: 3},
			{region: "Region Syddanmark", city: "Kolding", zip: "60##", w: 2},
			{region: "Region Nordjylland", city: "Aalborg", zip: "9###", w: 5},
			{region: "Region Sjælland", city: "Roskilde", zip: "40##", w: 3},
			{region: "Region Sjælland", city: "Næstved", zip: "47##", w: 2},
		}},
	"FI": {names: finnish, altNames: swedish, altNamesP: 6,
		phones:  []string{"+358 40 ### ####", "+358 50 ### ####", "+358 44 ### ####", "+358 45 ### ####"},
		domains: domains(weighted{"kolumbus.fi", 2}, weighted{"luukku.com", 3}),
		places: []place{
			{region: "Uusimaa", city: "Helsinki", zip: "00###", w: 20},
			{region: "Uusimaa", city: "Espoo", zip: "02###", w: 7},
			{region: "Uusimaa", city: "Vantaa", zip: "01###", w: 5},
			{region: "Pirkanmaa", city: "Tampere", zip: "33###", w: 7},
			{region: "Varsinais-Suomi", city: "Turku", zip: "20###", w: 5},
			{region: "Pohjois-Pohjanmaa", city: "Oulu", zip: "90###", w: 4},
			{region: "Keski-Suomi", city: "Jyväskylä", zip: "40###", w: 3},
			{region: "Pohjois-Savo", city: "Kuopio", zip: "70###", w: 3},
			{region: "Päijät-Häme", city: "Lahti", zip: "15###", w: 2},
			{region: "Pohjanmaa", city: "Vaasa", zip: "65###", w: 2},
		}},
	"IS": {names: icelandic,
		phones:  []string{"+354 6## ####", "+354 7## ####", "+354 8## ####"},
		domains: domains(weighted{"simnet.is", 5}, weighted{"internet.is", 3}),
		places: []place{
			{region: "Höfuðborgarsvæðið", city: "Reykjavík", zip: "10$", w: 30},
			{region: "Höfuðborgarsvæðið", city: "Kópavogur", zip: "20$", w: 8},
			{region: "Höfuðborgarsvæðið", city: "Hafnarfjörður", zip: "22$", w: 6},
			{region: "Norðurland eystra", city: "Akureyri", zip: "60$", w: 5},
			{city: "Reykjanesbær", zip: "230", w: 3},
			{city: "Selfoss", zip: "800", w: 2},
		}},
	"DE": {names: german, altNames: polish, altNamesP: 4,
		phones:  []string{"+49 151 ########", "+49 160 #######", "+49 170 #######", "+49 176 ########", "+49 30 ########", "+49 89 #######"},
		domains: domains(weighted{"web.de", 14}, weighted{"gmx.de", 14}, weighted{"t-online.de", 8}),
		places: []place{
			{region: "Berlin", city: "Berlin", zip: "1$###", w: 15},
			{region: "Hamburg", city: "Hamburg", zip: "2$###", w: 8},
			{region: "Bayern", city: "München", zip: "8$###", w: 8},
			{region: "Bayern", city: "Nürnberg", zip: "90###", w: 4},
			{region: "Bayern", city: "Augsburg", zip: "86###", w: 2},
			{region: "Nordrhein-Westfalen", city: "Köln", zip: "50###", w: 6},
			{region: "Nordrhein-Westfalen", city: "Düsseldorf", zip: "40###", w: 4},
			{region: "Nordrhein-Westfalen", city: "Dortmund", zip: "44###", w: 4},
			{region: "Nordrhein-Westfalen", city: "Münster", zip: "48###", w: 2},
			{region: "Hessen", city: "Frankfurt am Main", zip: "60###", w: 5},
			{region: "Hessen", city: "Wiesbaden", zip: "65###", w: 2},
			{region: "Baden-Württemberg", city: "Stuttgart", zip: "70###", w: 5},
			{region: "Baden-Württemberg", city: "Freiburg im Breisgau", zip: "79###", w: 2},
			{region: "Baden-Württemberg", city: "Karlsruhe", zip: "76###", w: 2},
			{region: "Sachsen", city: "Leipzig", zip: "04###", w: 4},
			{region: "Sachsen", city: "Dresden", zip: "01###", w: 4},
			{region: "Niedersachsen", city: "Hannover", zip: "30###", w: 4},
			{region: "Bremen", city: "Bremen", zip: "28###", w: 2},
			{region: "Schleswig-Holstein", city: "Kiel", zip: "24###", w: 2},
			{region: "Schleswig-Holstein", city: "Lübeck", zip: "23###", w: 2},
		}},
	"GB": {names: english,
		phones:  []string{"+44 7### ######", "+44 20 #### ####", "+44 161 ### ####"},
		domains: domains(weighted{"btinternet.com", 6}, weighted{"sky.com", 4}, weighted{"yahoo.co.uk", 5}),
		places: []place{
			{region: "Greater London", city: "London", zip: "SW$ #@@", w: 10},
			{region: "Greater London", city: "London", zip: "E$ #@@", w: 6},
			{region: "Greater London", city: "London", zip: "N$ #@@", w: 6},
			{region: "Greater London", city: "London", zip: "NW$ #@@", w: 4},
			{region: "Greater Manchester", city: "Manchester", zip: "M$ #@@", w: 6},
			{region: "West Midlands", city: "Birmingham", zip: "B$ #@@", w: 6},
			{region: "West Yorkshire", city: "Leeds", zip: "LS$ #@@", w: 4},
			{region: "Merseyside", city: "Liverpool", zip: "L$ #@@", w: 4},
			{region: "City of Bristol", city: "Bristol", zip: "BS$ #@@", w: 3},
			{region: "City of Edinburgh", city: "Edinburgh", zip: "EH$ #@@", w: 4},
			{region: "Glasgow City", city: "Glasgow", zip: "G$ #@@", w: 4},
			{region: "Cardiff", city: "Cardiff", zip: "CF$ #@@", w: 3},
			{region: "County Antrim", city: "Belfast", zip: "BT$ #@@", w: 2},
			{region: "East Sussex", city: "Brighton", zip: "BN$ #@@", w: 2},
			{region: "Oxfordshire", city: "Oxford", zip: "OX$ #@@", w: 2},
			{region: "Cambridgeshire", city: "Cambridge", zip: "CB$ #@@", w: 2},
		}},
	"US": {names: english, altNames: spanish, altNamesP: 15,
		domains: domains(weighted{"aol.com", 4}, weighted{"comcast.net", 4}, weighted{"verizon.net", 3}),
		places: []place{
			{region: "California", city: "San Francisco", zip: "941##", phone: "+1 415-$##-####", w: 6},
			{region: "California", city: "Los Angeles", zip: "900##", phone: "+1 213-$##-####", w: 8},
			{region: "California", city: "San Diego", zip: "921##", phone: "+1 619-$##-####", w: 4},
			{region: "New York", city: "New York", zip: "100##", phone: "+1 212-$##-####", w: 8},
			{region: "New York", city: "Brooklyn", zip: "112##", phone: "+1 718-$##-####", w: 4},
			{region: "Illinois", city: "Chicago", zip: "606##", phone: "+1 312-$##-####", w: 6},
			{region: "Texas", city: "Houston", zip: "770##", phone: "+1 713-$##-####", w: 4},
			{region: "Texas", city: "Austin", zip: "787##", phone: "+1 512-$##-####", w: 4},
			{region: "Washington", city: "Seattle", zip: "981##", phone: "+1 206-$##-####", w: 5},
			{region: "Minnesota", city: "Minneapolis", zip: "554##", phone: "+1 612-$##-####", w: 5},
			{region: "Massachusetts", city: "Boston", zip: "021##", phone: "+1 617-$##-####", w: 4},
			{region: "Colorado", city: "Denver", zip: "802##", phone: "+1 303-$##-####", w: 3},
			{region: "Florida", city: "Miami", zip: "331##", phone: "+1 305-$##-####", w: 4},
			{region: "Oregon", city: "Portland", zip: "972##", phone: "+1 503-$##-####", w: 3},
			{region: "Georgia", city: "Atlanta", zip: "303##", phone: "+1 404-$##-####", w: 3},
			{region: "Arizona", city: "Phoenix", zip: "850##", phone: "+1 602-$##-####", w: 3},
			{region: "Wisconsin", city: "Madison", zip: "537##", phone: "+1 608-$##-####", w: 2},
			{region: "North Dakota", city: "Fargo", zip: "581##", phone: "+1 701-$##-####", w: 1},
		}},
	"NL": {names: dutch,
		phones:  []string{"+31 6 ########", "+31 20 ### ####"},
		domains: domains(weighted{"ziggo.nl", 6}, weighted{"kpnmail.nl", 5}, weighted{"planet.nl", 2}),
		places: []place{
			{region: "Noord-Holland", city: "Amsterdam", zip: "10## @@", w: 10},
			{region: "Noord-Holland", city: "Haarlem", zip: "20## @@", w: 2},
			{region: "Zuid-Holland", city: "Rotterdam", zip: "30## @@", w: 7},
			{region: "Zuid-Holland", city: "Den Haag", zip: "25## @@", w: 5},
			{region: "Utrecht", city: "Utrecht", zip: "35## @@", w: 4},
			{region: "Noord-Brabant", city: "Eindhoven", zip: "56## @@", w: 3},
			{region: "Groningen", city: "Groningen", zip: "97## @@", w: 2},
			{region: "Gelderland", city: "Nijmegen", zip: "65## @@", w: 2},
		}},
	"FR": {names: french,
		phones:  []string{"+33 6 ## ## ## ##", "+33 7 ## ## ## ##", "+33 1 ## ## ## ##"},
		domains: domains(weighted{"orange.fr", 10}, weighted{"free.fr", 6}, weighted{"laposte.net", 4}),
		places: []place{
			{region: "Île-de-France", city: "Paris", zip: "750##", w: 14},
			{region: "Île-de-France", city: "Boulogne-Billancourt", zip: "92100", w: 2},
			{region: "Auvergne-Rhône-Alpes", city: "Lyon", zip: "6900$", w: 5},
			{region: "Provence-Alpes-Côte d'Azur", city: "Marseille", zip: "130##", w: 5},
			{region: "Provence-Alpes-Côte d'Azur", city: "Nice", zip: "060##", w: 3},
			{region: "Occitanie", city: "Toulouse", zip: "310##", w: 4},
			{region: "Occitanie", city: "Montpellier", zip: "340##", w: 3},
			{region: "Nouvelle-Aquitaine", city: "Bordeaux", zip: "330##", w: 3},
			{region: "Hauts-de-France", city: "Lille", zip: "590##", w: 3},
			{region: "Grand Est", city: "Strasbourg", zip: "670##", w: 3},
			{region: "Pays de la Loire", city: "Nantes", zip: "440##", w: 3},
		}},
	"ES": {names: spanish,
		phones:  []string{"+34 6## ### ###", "+34 7## ### ###", "+34 91# ### ###"},
		domains: domains(weighted{"telefonica.net", 4}, weighted{"yahoo.es", 6}),
		places: []place{
			{region: "Comunidad de Madrid", city: "Madrid", zip: "280##", w: 12},
			{region: "Cataluña", city: "Barcelona", zip: "080##", w: 10},
			{region: "Comunidad Valenciana", city: "Valencia", zip: "460##", w: 4},
			{region: "Andalucía", city: "Sevilla", zip: "410##", w: 4},
			{region: "Andalucía", city: "Málaga", zip: "290##", w: 3},
			{region: "País Vasco", city: "Bilbao", zip: "480##", w: 3},
			{region: "Aragón", city: "Zaragoza", zip: "500##", w: 2},
			{region: "Illes Balears", city: "Palma", zip: "070##", w: 2},
			{region: "Galicia", city: "A Coruña", zip: "150##", w: 2},
		}},
	"IT": {names: italian,
		phones:  []string{"+39 3## ### ####", "+39 06 #### ####", "+39 02 #### ####"},
		domains: domains(weighted{"libero.it", 10}, weighted{"virgilio.it", 4}, weighted{"tiscali.it", 3}),
		places: []place{
			{region: "Lombardia", city: "Milano", zip: "201##", w: 10},
			{region: "Lazio", city: "Roma", zip: "001##", w: 10},
			{region: "Campania", city: "Napoli", zip: "801##", w: 5},
			{region: "Piemonte", city: "Torino", zip: "101##", w: 5},
			{region: "Toscana", city: "Firenze", zip: "501##", w: 4},
			{region: "Emilia-Romagna", city: "Bologna", zip: "401##", w: 4},
			{region: "Veneto", city: "Venezia", zip: "301##", w: 2},
			{region: "Sicilia", city: "Palermo", zip: "901##", w: 3},
		}},
	"PL": {names: polish,
		phones:  []string{"+48 5## ### ###", "+48 6## ### ###", "+48 7## ### ###", "+48 22 ### ## ##"},
		domains: domains(weighted{"wp.pl", 10}, weighted{"onet.pl", 8}, weighted{"interia.pl", 5}, weighted{"o2.pl", 4}),
		places: []place{
			{region: "mazowieckie", city: "Warszawa", zip: "0#-###", w: 14},
			{region: "małopolskie", city: "Kraków", zip: "3#-###", w: 7},
			{region: "dolnośląskie", city: "Wrocław", zip: "5#-###", w: 6},
			{region: "wielkopolskie", city: "Poznań", zip: "6#-###", w: 5},
			{region: "pomorskie", city: "Gdańsk", zip: "80-###", w: 5},
			{region: "łódzkie", city: "Łódź", zip: "9#-###", w: 5},
			{region: "zachodniopomorskie", city: "Szczecin", zip: "7#-###", w: 3},
		}},
}

func init() {
	for _, c := range seedCountries {
		for _, p := range c.places {
			c.placeW += p.w
		}
		for _, d := range c.domains {
			c.domainW += d.w
		}
	}
}
