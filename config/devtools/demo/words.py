"""Word lists and sentence banks the demo data is composed from.

Review sentences come in six languages so that pages show the mix a real community writes in.
"""


def _items(text: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in text.split(","))


LANGUAGES = ("en", "it", "es", "el", "fr", "de")
# How often a reader writes in each language, in the order of LANGUAGES.
LANGUAGE_WEIGHTS = (50, 10, 12, 8, 10, 10)

FIRST_NAMES = {
    "en": _items(
        "Ada, Alice, Arthur, Beatrice, Clara, Daniel, Edith, Eleanor, Frank, George, Grace, "
        "Harriet, Henry, Iris, Jack, James, Julia, Laura, Lucy, Margaret, Martin, Nora, Oliver, "
        "Owen, Peter, Rose, Ruth, Samuel, Thomas, Walter"
    ),
    "it": _items(
        "Alessandro, Anna, Beatrice, Carlo, Chiara, Elena, Federico, Francesca, Giacomo, Giulia, "
        "Giorgio, Laura, Lorenzo, Luca, Marco, Marta, Paolo, Sara, Silvia, Tommaso"
    ),
    "es": _items(
        "Alba, Alejandro, Ana, Carmen, Diego, Elena, Javier, Jorge, Lucía, Manuel, María, Marta, "
        "Pablo, Pilar, Rafael, Rocío, Sergio, Teresa, Tomás, Vicente"
    ),
    "el": _items(
        "Alexandros, Anna, Christos, Dimitra, Eleni, Georgios, Ioanna, Katerina, Kostas, Maria, "
        "Nikos, Panagiotis, Sofia, Stavros, Vasiliki, Yannis"
    ),
    "fr": _items(
        "Adèle, Antoine, Camille, Claire, Élise, Étienne, Hélène, Jeanne, Julien, Léa, Louis, "
        "Lucie, Mathilde, Nicolas, Pierre, Sophie, Théo, Victor"
    ),
    "de": _items(
        "Anja, Clara, Felix, Friedrich, Greta, Hanna, Jakob, Jonas, Karl, Katharina, Lena, Lukas, "
        "Martha, Max, Paul, Sabine, Stefan, Ulrike"
    ),
}

LAST_NAMES = {
    "en": _items(
        "Abbott, Ashford, Barker, Bennett, Carter, Clarke, Doyle, Ellis, Fletcher, Foster, Gray, "
        "Hale, Harper, Hughes, Kendall, Lawson, Marsh, Morgan, Norris, Parker, Reed, Shaw, Turner, "
        "Walsh, Webb, Whitmore, Wilde, Wright"
    ),
    "it": _items(
        "Bianchi, Colombo, Conti, De Luca, Esposito, Ferrari, Galli, Greco, Lombardi, Mancini, "
        "Marino, Moretti, Ricci, Romano, Russo, Serra, Testa, Villa"
    ),
    "es": _items(
        "Alonso, Castillo, Díaz, Fernández, García, Gómez, Iglesias, López, Martín, Morales, "
        "Navarro, Ortega, Ramos, Romero, Ruiz, Sanz, Vidal"
    ),
    "el": _items(
        "Alexiou, Dimitriou, Georgiou, Ioannou, Karagiannis, Konstantinou, Makris, Nikolaidis, "
        "Oikonomou, Papadakis, Papadopoulos, Pappas, Vlachos, Zervas"
    ),
    "fr": _items(
        "Bernard, Blanc, Bonnet, Dubois, Durand, Fournier, Garnier, Lambert, Laurent, Lefèvre, "
        "Martin, Mercier, Moreau, Petit, Roux, Vincent"
    ),
    "de": _items(
        "Bauer, Becker, Braun, Fischer, Hartmann, Hoffmann, Keller, Krause, Lange, Meyer, Richter, "
        "Schmidt, Schneider, Schulz, Vogel, Wagner, Weber, Wolf"
    ),
}

ADJECTIVES = _items(
    "Silent, Broken, Golden, Hidden, Last, Distant, Burning, Forgotten, Northern, Quiet, Restless, "
    "Scarlet, Winter, Wandering, Hollow, Bright, Salt, Iron, Paper, Glass, Midnight, Long, Little, "
    "Lost, Secret, Sleeping, Small, Wild, Crooked, Gentle, Summer, Drowned, Invisible"
)
NOUNS = _items(
    "River, Garden, House, Harbour, Letter, Orchard, Mountain, Island, City, Machine, Library, "
    "Lantern, Kingdom, Archive, Map, Border, Season, Voyage, Revolution, Bridge, Forest, Tide, "
    "Clock, Mirror, Station, Empire, Harvest, Theory, Promise, Winter, Country, Lighthouse, Window"
)
ABSTRACTS = _items(
    "Ashes, Shadows, Stars, Bones, Rain, Smoke, Light, Dust, Fire, Snow, Tides, Dreams, Exile, "
    "Longing, Silence, Salt, Thunder, Ink, Wolves, Saints, Strangers, Ghosts, Bells, Birds"
)
ROLES = _items(
    "Revolutionary, Cartographer, Watchmaker, Translator, Beekeeper, Stranger, Apprentice, "
    "Detective, Gardener, Ferryman, Bookseller, Soldier, Physician, Astronomer, Widow, Pilgrim, "
    "Exile, Printer, Violinist, Smuggler"
)
PLACES = _items(
    "Lisbon, Trieste, Thessaloniki, Seville, Lyon, Leipzig, Naples, Odessa, Marseille, Bilbao, "
    "Bruges, Palermo, Crete, Galicia, Bavaria, Provence, Vienna, Salonica, Petrograd, Barcelona, "
    "Dublin, Genoa, Smyrna, Danzig"
)
TITLE_PATTERNS = (
    "The {adj} {noun}",
    "The {adj} {noun}",
    "{noun} of {abstract}",
    "A {noun} in {place}",
    "The {noun}'s {noun2}",
    "{adj} {abstract}",
    "Memoirs of a {role}",
    "The {role} of {place}",
    "Notes on {abstract}",
    "The {role}'s {noun}",
    "{first}'s {noun}",
    "After the {noun}",
    "Letters from {place}",
    "The {adj} {role}",
    "Between {abstract} and {abstract2}",
)
SERIES_PATTERNS = ("The {noun} Cycle", "{place} Quartet", "The {adj} Chronicles")

PUBLISHERS = _items(
    "Harbour Press, Lantern Books, Northgate, Meridian, Old Quay Editions, Salt & Ink, Blackthorn, "
    "Corvo Edizioni, Ediciones del Faro, Éditions du Quai, Kastanie Verlag, Ekdoseis Agora, "
    "Riverrun, Vintage Orchard, Small Hours"
)

GENRES = _items(
    "history, poetry, crime novels, science fiction, memoirs, essays, travel writing, Russian "
    "classics, graphic novels, philosophy, short stories"
)

DESCRIPTION_SENTENCES = (
    "In {place}, a {role_lower} finds a letter that should never have been written.",
    "Over one long winter, three families learn what they owe each other.",
    "{first} has spent twenty years forgetting {place}; one telegram brings it all back.",
    "Told in fragments, diaries and overheard conversations, it follows a {role_lower} "
    "across a continent at war.",
    "It is a story about {abstract_lower}, debts and the stubbornness of hope.",
    "Part thriller, part elegy, it asks who gets to remember a city.",
    "When the {noun_lower} closes, the whole street has to decide whom to trust.",
    "The narrator, a {role_lower} with a bad memory, tells it out of order.",
    "Its chapters move between {place} and {place2}, and between two centuries.",
    "Funny, angry and tender by turns, it was an instant favourite with readers.",
    "This edition adds an afterword and the author's own notes.",
    "A quiet book that grows louder with every chapter.",
)
BIO_SENTENCES = (
    "{name} was born in {place} in {year}.",
    "{name} worked as a {role_lower} before turning to writing.",
    "Their books have been translated into more than twenty languages.",
    "{name} lives between {place} and {place2}.",
    "{name} has written novels, essays and one play that nobody staged.",
    "A former journalist, {name} still writes every morning at the same café.",
)

REVIEW_SENTENCES = {
    "en": (
        "I could not put this down.",
        "The writing is clear and quietly moving.",
        "The characters feel real from the very first page.",
        "The ending left me thinking for days.",
        "The middle drags a little, but it is worth pushing on.",
        "I read it in two evenings.",
        "The translation is excellent.",
        "It was not quite what I expected.",
        "I would recommend it to anyone who loves history.",
        "The atmosphere of the city is beautifully drawn.",
        "Some chapters are small masterpieces.",
        "The author knows exactly how to keep you reading.",
        "I hoped for more from the plot.",
        "I reread it every few years and find something new each time.",
        "Our book club argued about it for two hours.",
        "Too long by a hundred pages, in my opinion.",
        "A book I will press into my friends' hands.",
    ),
    "it": (
        "Non riuscivo a smettere di leggerlo.",
        "La scrittura è limpida e commovente.",
        "I personaggi sembrano veri fin dalla prima pagina.",
        "Il finale mi ha fatto riflettere per giorni.",
        "La parte centrale è un po' lenta, ma vale la pena continuare.",
        "L'ho letto in due sere.",
        "La traduzione è ottima.",
        "Non era proprio quello che mi aspettavo.",
        "Lo consiglierei a chiunque ami la storia.",
        "L'atmosfera della città è descritta benissimo.",
        "Alcuni capitoli sono piccoli capolavori.",
        "Avrei voluto di più dalla trama.",
        "Un libro da regalare agli amici.",
    ),
    "es": (
        "No podía dejar de leerlo.",
        "La prosa es clara y conmovedora.",
        "Los personajes parecen reales desde la primera página.",
        "El final me dejó pensando durante días.",
        "La parte central se hace un poco lenta, pero merece la pena seguir.",
        "Lo leí en dos noches.",
        "La traducción es excelente.",
        "No era exactamente lo que esperaba.",
        "Se lo recomendaría a cualquiera que ame la historia.",
        "La atmósfera de la ciudad está muy bien descrita.",
        "Algunos capítulos son pequeñas obras maestras.",
        "Esperaba algo más de la trama.",
        "Un libro para regalar a los amigos.",
    ),
    "el": (
        "Δεν μπορούσα να το αφήσω από τα χέρια μου.",
        "Η γραφή είναι καθαρή και συγκινητική.",
        "Οι χαρακτήρες μοιάζουν αληθινοί από την πρώτη σελίδα.",
        "Το τέλος με έβαλε σε σκέψεις για μέρες.",
        "Στη μέση η ιστορία αργεί λίγο, αλλά αξίζει να συνεχίσεις.",
        "Το διάβασα μέσα σε δύο βράδια.",
        "Η μετάφραση είναι εξαιρετική.",
        "Δεν ήταν ακριβώς αυτό που περίμενα.",
        "Θα το πρότεινα σε όποιον αγαπά την ιστορία.",
        "Η ατμόσφαιρα της πόλης περιγράφεται υπέροχα.",
        "Μερικά κεφάλαια είναι μικρά αριστουργήματα.",
        "Περίμενα περισσότερα από την πλοκή.",
        "Ένα βιβλίο που θα χαρίσω στους φίλους μου.",
    ),
    "fr": (
        "Impossible de le lâcher.",
        "L'écriture est limpide et émouvante.",
        "Les personnages semblent vrais dès la première page.",
        "La fin m'a fait réfléchir pendant des jours.",
        "Le milieu traîne un peu, mais cela vaut la peine de continuer.",
        "Je l'ai lu en deux soirées.",
        "La traduction est excellente.",
        "Ce n'était pas tout à fait ce que j'attendais.",
        "Je le conseillerais à tous ceux qui aiment l'histoire.",
        "L'atmosphère de la ville est magnifiquement rendue.",
        "Certains chapitres sont de petits chefs-d'œuvre.",
        "J'attendais davantage de l'intrigue.",
        "Un livre à offrir à ses amis.",
    ),
    "de": (
        "Ich konnte es nicht aus der Hand legen.",
        "Die Sprache ist klar und berührend.",
        "Die Figuren wirken von der ersten Seite an echt.",
        "Das Ende hat mich tagelang beschäftigt.",
        "Der Mittelteil zieht sich etwas, aber es lohnt sich weiterzulesen.",
        "Ich habe es an zwei Abenden gelesen.",
        "Die Übersetzung ist hervorragend.",
        "Es war nicht ganz das, was ich erwartet hatte.",
        "Ich würde es allen empfehlen, die Geschichte lieben.",
        "Die Atmosphäre der Stadt ist wunderbar beschrieben.",
        "Einige Kapitel sind kleine Meisterwerke.",
        "Von der Handlung hatte ich mir mehr erhofft.",
        "Ein Buch, das ich Freunden schenken werde.",
    ),
}

# What readers note beside their progress.
PROGRESS_NOTES = (
    "Slow start, but it is picking up.",
    "Could not put it down last night.",
    "The middle drags a little.",
    "This chapter changed how I see the first part.",
    "Reading it on the train every morning.",
    "Taking notes on almost every page.",
    "A twist I did not see coming.",
    "Halfway and still not sure about the narrator.",
    "Beautiful sentences; I keep rereading them.",
    "Back to it after a week away.",
)
