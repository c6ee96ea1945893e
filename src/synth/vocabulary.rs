//! Word lists the generator composes cables from: posts, people, offices, topics, templates.
//!
//! Everything here is invented or generic (common names, public office names, routing
//! indicators and TAGS codes from the shared reference lists); no text is taken from real
//! cables. Templates use `{X}` slots that [`super::compose`] fills in.

/// A diplomatic post (or the Department) that originates cables.
#[derive(Debug, Clone, Copy)]
pub struct Post {
    /// Station as it appears in canonical ids (`MOSCOW`, `BUENOSAIRES`, `STATE`).
    pub station: &'static str,
    /// Station as written in captions and REF lines (`BUENOS AIRES`, `USUN NEW YORK`).
    pub caption: &'static str,
    /// Origin as the dump names it (`Embassy Moscow`).
    pub origin: &'static str,
    /// The FM line (`AMEMBASSY MOSCOW`).
    pub from: &'static str,
    /// Routing indicator (`RUEHMO`).
    pub ri: &'static str,
    /// Country TAGS code (`RS`); empty for the Department and multilateral missions.
    pub country: &'static str,
    /// Country name and adjective for subjects and sentences.
    pub name: &'static str,
    pub adj: &'static str,
    /// How cables abbreviate the host government (`GOR`).
    pub gov: &'static str,
    /// Relative share of the corpus (roughly Cablegate's origin mix).
    pub weight: u32,
    /// Serial numbers the post uses in a year, so serials grow realistically with the date.
    pub volume: u32,
    /// First and last year the post sent cables (Tehran closed in 1979).
    pub years: (i32, i32),
}

// Positional so that the table below stays one row per post.
#[allow(clippy::too_many_arguments)]
const fn post(
    station: &'static str,
    caption: &'static str,
    origin: &'static str,
    from: &'static str,
    ri: &'static str,
    country: &'static str,
    name_adj_gov: (&'static str, &'static str, &'static str),
    weight: u32,
    volume: u32,
) -> Post {
    Post {
        station,
        caption,
        origin,
        from,
        ri,
        country,
        name: name_adj_gov.0,
        adj: name_adj_gov.1,
        gov: name_adj_gov.2,
        weight,
        volume,
        years: (1966, 2010),
    }
}

const fn years(mut p: Post, first: i32, last: i32) -> Post {
    p.years = (first, last);
    p
}

/// Index of the Department in [`POSTS`]; its cables address posts rather than the Department.
pub const STATE: usize = 0;

#[rustfmt::skip]
pub static POSTS: &[Post] = &[
    post("STATE", "STATE", "Secretary of State", "SECSTATE WASHDC", "RUEHC", "", ("the United States", "U.S.", "USG"), 80, 130_000),
    post("MOSCOW", "MOSCOW", "Embassy Moscow", "AMEMBASSY MOSCOW", "RUEHMO", "RS", ("Russia", "Russian", "GOR"), 40, 3600),
    post("LONDON", "LONDON", "Embassy London", "AMEMBASSY LONDON", "RUEHLO", "UK", ("the United Kingdom", "British", "HMG"), 25, 3200),
    post("PARIS", "PARIS", "Embassy Paris", "AMEMBASSY PARIS", "RUEHFR", "FR", ("France", "French", "GOF"), 35, 4500),
    post("MADRID", "MADRID", "Embassy Madrid", "AMEMBASSY MADRID", "RUEHMD", "SP", ("Spain", "Spanish", "GOS"), 25, 2400),
    years(post("BERLIN", "BERLIN", "Embassy Berlin", "AMEMBASSY BERLIN", "RUEHRL", "GM", ("Germany", "German", "German government"), 25, 2300), 1990, 2010),
    post("ROME", "ROME", "Embassy Rome", "AMEMBASSY ROME", "RUEHRO", "IT", ("Italy", "Italian", "GOI"), 18, 2100),
    post("ANKARA", "ANKARA", "Embassy Ankara", "AMEMBASSY ANKARA", "RUEHAK", "TU", ("Turkey", "Turkish", "GOT"), 60, 2000),
    years(post("BEIJING", "BEIJING", "Embassy Beijing", "AMEMBASSY BEIJING", "RUEHBJ", "CH", ("China", "Chinese", "PRC"), 38, 9000), 1979, 2010),
    post("TOKYO", "TOKYO", "Embassy Tokyo", "AMEMBASSY TOKYO", "RUEHKO", "JA", ("Japan", "Japanese", "GOJ"), 55, 6000),
    post("SEOUL", "SEOUL", "Embassy Seoul", "AMEMBASSY SEOUL", "RUEHUL", "KS", ("South Korea", "South Korean", "ROKG"), 20, 2800),
    post("BRASILIA", "BRASILIA", "Embassy Brasilia", "AMEMBASSY BRASILIA", "RUEHBR", "BR", ("Brazil", "Brazilian", "GOB"), 22, 1800),
    post("BOGOTA", "BOGOTA", "Embassy Bogota", "AMEMBASSY BOGOTA", "RUEHBO", "CO", ("Colombia", "Colombian", "GOC"), 20, 9000),
    post("CARACAS", "CARACAS", "Embassy Caracas", "AMEMBASSY CARACAS", "RUEHCV", "VE", ("Venezuela", "Venezuelan", "GOV"), 20, 2400),
    post("BUENOSAIRES", "BUENOS AIRES", "Embassy Buenos Aires", "AMEMBASSY BUENOS AIRES", "RUEHBU", "AR", ("Argentina", "Argentine", "GOA"), 15, 2500),
    post("LAPAZ", "LA PAZ", "Embassy La Paz", "AMEMBASSY LA PAZ", "RUEHLP", "BL", ("Bolivia", "Bolivian", "GOB"), 10, 2800),
    post("MEXICO", "MEXICO", "Embassy Mexico", "AMEMBASSY MEXICO", "RUEHME", "MX", ("Mexico", "Mexican", "GOM"), 18, 6000),
    post("OTTAWA", "OTTAWA", "Embassy Ottawa", "AMEMBASSY OTTAWA", "RUEHOT", "CA", ("Canada", "Canadian", "GOC"), 12, 1500),
    post("ISLAMABAD", "ISLAMABAD", "Embassy Islamabad", "AMEMBASSY ISLAMABAD", "RUEHIL", "PK", ("Pakistan", "Pakistani", "GOP"), 25, 4000),
    post("KABUL", "KABUL", "Embassy Kabul", "AMEMBASSY KABUL", "RUEHBUL", "AF", ("Afghanistan", "Afghan", "GIRoA"), 30, 3500),
    post("NEWDELHI", "NEW DELHI", "Embassy New Delhi", "AMEMBASSY NEW DELHI", "RUEHNE", "IN", ("India", "Indian", "GOI"), 18, 8000),
    post("BAGHDAD", "BAGHDAD", "Embassy Baghdad", "AMEMBASSY BAGHDAD", "RUEHGB", "IZ", ("Iraq", "Iraqi", "GOI"), 65, 4000),
    post("RIYADH", "RIYADH", "Embassy Riyadh", "AMEMBASSY RIYADH", "RUEHRH", "SA", ("Saudi Arabia", "Saudi", "SAG"), 15, 1700),
    post("ABUDHABI", "ABU DHABI", "Embassy Abu Dhabi", "AMEMBASSY ABU DHABI", "RUEHAD", "AE", ("the UAE", "Emirati", "UAEG"), 14, 1300),
    post("DOHA", "DOHA", "Embassy Doha", "AMEMBASSY DOHA", "RUEHDO", "QA", ("Qatar", "Qatari", "GOQ"), 8, 900),
    post("KUWAIT", "KUWAIT", "Embassy Kuwait", "AMEMBASSY KUWAIT", "RUEHKU", "KU", ("Kuwait", "Kuwaiti", "GOK"), 18, 1300),
    post("SANAA", "SANAA", "Embassy Sanaa", "AMEMBASSY SANAA", "RUEHYN", "YM", ("Yemen", "Yemeni", "ROYG"), 10, 2500),
    post("TELAVIV", "TEL AVIV", "Embassy Tel Aviv", "AMEMBASSY TEL AVIV", "RUEHTV", "IS", ("Israel", "Israeli", "GOI"), 25, 2900),
    post("CAIRO", "CAIRO", "Embassy Cairo", "AMEMBASSY CAIRO", "RUEHEG", "EG", ("Egypt", "Egyptian", "GOE"), 20, 2500),
    post("AMMAN", "AMMAN", "Embassy Amman", "AMEMBASSY AMMAN", "RUEHAM", "JO", ("Jordan", "Jordanian", "GOJ"), 20, 3000),
    post("BEIRUT", "BEIRUT", "Embassy Beirut", "AMEMBASSY BEIRUT", "RUEHLB", "LE", ("Lebanon", "Lebanese", "GOL"), 18, 1500),
    post("DAMASCUS", "DAMASCUS", "Embassy Damascus", "AMEMBASSY DAMASCUS", "RUEHDM", "SY", ("Syria", "Syrian", "SARG"), 10, 900),
    post("RABAT", "RABAT", "Embassy Rabat", "AMEMBASSY RABAT", "RUEHRB", "MO", ("Morocco", "Moroccan", "GOM"), 8, 1200),
    post("ALGIERS", "ALGIERS", "Embassy Algiers", "AMEMBASSY ALGIERS", "RUEHAS", "AG", ("Algeria", "Algerian", "GOA"), 7, 1100),
    post("TUNIS", "TUNIS", "Embassy Tunis", "AMEMBASSY TUNIS", "RUEHTU", "TS", ("Tunisia", "Tunisian", "GOT"), 7, 1200),
    post("TRIPOLI", "TRIPOLI", "Embassy Tripoli", "AMEMBASSY TRIPOLI", "RUEHTRO", "LY", ("Libya", "Libyan", "GOL"), 6, 900),
    post("NAIROBI", "NAIROBI", "Embassy Nairobi", "AMEMBASSY NAIROBI", "RUEHNR", "KE", ("Kenya", "Kenyan", "GOK"), 14, 5000),
    post("PRETORIA", "PRETORIA", "Embassy Pretoria", "AMEMBASSY PRETORIA", "RUEHSA", "SF", ("South Africa", "South African", "SAG"), 12, 2300),
    post("HARARE", "HARARE", "Embassy Harare", "AMEMBASSY HARARE", "RUEHSB", "ZI", ("Zimbabwe", "Zimbabwean", "GOZ"), 10, 1100),
    years(post("ABUJA", "ABUJA", "Embassy Abuja", "AMEMBASSY ABUJA", "RUEHUJA", "NI", ("Nigeria", "Nigerian", "GON"), 10, 2200), 1992, 2010),
    post("KAMPALA", "KAMPALA", "Embassy Kampala", "AMEMBASSY KAMPALA", "RUEHKM", "UG", ("Uganda", "Ugandan", "GOU"), 7, 1700),
    post("DAKAR", "DAKAR", "Embassy Dakar", "AMEMBASSY DAKAR", "RUEHDK", "SG", ("Senegal", "Senegalese", "GOS"), 6, 1400),
    post("WARSAW", "WARSAW", "Embassy Warsaw", "AMEMBASSY WARSAW", "RUEHWR", "PL", ("Poland", "Polish", "GOP"), 10, 1300),
    years(post("KYIV", "KYIV", "Embassy Kyiv", "AMEMBASSY KYIV", "RUEHKV", "UP", ("Ukraine", "Ukrainian", "GOU"), 14, 2900), 1992, 2010),
    years(post("TBILISI", "TBILISI", "Embassy Tbilisi", "AMEMBASSY TBILISI", "RUEHSI", "GG", ("Georgia", "Georgian", "GOG"), 10, 2200), 1992, 2010),
    years(post("BAKU", "BAKU", "Embassy Baku", "AMEMBASSY BAKU", "RUEHKB", "AJ", ("Azerbaijan", "Azerbaijani", "GOAJ"), 8, 1500), 1992, 2010),
    years(post("ASTANA", "ASTANA", "Embassy Astana", "AMEMBASSY ASTANA", "RUEHTA", "KZ", ("Kazakhstan", "Kazakhstani", "GOK"), 9, 2300), 1994, 2010),
    years(post("ASHGABAT", "ASHGABAT", "Embassy Ashgabat", "AMEMBASSY ASHGABAT", "RUEHAH", "TX", ("Turkmenistan", "Turkmen", "GOTX"), 6, 1400), 1992, 2010),
    post("STOCKHOLM", "STOCKHOLM", "Embassy Stockholm", "AMEMBASSY STOCKHOLM", "RUEHSM", "SW", ("Sweden", "Swedish", "GOS"), 6, 900),
    post("OSLO", "OSLO", "Embassy Oslo", "AMEMBASSY OSLO", "RUEHNY", "NO", ("Norway", "Norwegian", "GON"), 6, 800),
    post("BERN", "BERN", "Embassy Bern", "AMEMBASSY BERN", "RUEHSW", "SZ", ("Switzerland", "Swiss", "GOS"), 6, 800),
    post("VIENNA", "VIENNA", "Embassy Vienna", "AMEMBASSY VIENNA", "RUEHVI", "AU", ("Austria", "Austrian", "GOA"), 9, 2500),
    post("BRUSSELS", "BRUSSELS", "Embassy Brussels", "AMEMBASSY BRUSSELS", "RUEHBS", "BE", ("Belgium", "Belgian", "GOB"), 7, 1500),
    post("THEHAGUE", "THE HAGUE", "Embassy The Hague", "AMEMBASSY THE HAGUE", "RUEHTC", "NL", ("the Netherlands", "Dutch", "GONL"), 9, 1100),
    post("JAKARTA", "JAKARTA", "Embassy Jakarta", "AMEMBASSY JAKARTA", "RUEHJA", "ID", ("Indonesia", "Indonesian", "GOI"), 14, 3000),
    post("MANILA", "MANILA", "Embassy Manila", "AMEMBASSY MANILA", "RUEHML", "RP", ("the Philippines", "Philippine", "GRP"), 12, 2800),
    post("BANGKOK", "BANGKOK", "Embassy Bangkok", "AMEMBASSY BANGKOK", "RUEHBK", "TH", ("Thailand", "Thai", "RTG"), 18, 3400),
    years(post("HANOI", "HANOI", "Embassy Hanoi", "AMEMBASSY HANOI", "RUEHHI", "VM", ("Vietnam", "Vietnamese", "GVN"), 9, 1500), 1995, 2010),
    post("RANGOON", "RANGOON", "Embassy Rangoon", "AMEMBASSY RANGOON", "RUEHGO", "BM", ("Burma", "Burmese", "GOB"), 7, 900),
    years(post("TEHRAN", "TEHRAN", "Embassy Tehran", "AMEMBASSY TEHRAN", "RUQMHR", "IR", ("Iran", "Iranian", "GOI"), 3, 9000), 1966, 1979),
    post("BARCELONA", "BARCELONA", "Consulate Barcelona", "AMCONSUL BARCELONA", "RUEHLA", "SP", ("Spain", "Spanish", "GOS"), 3, 300),
    post("RIODEJANEIRO", "RIO DE JANEIRO", "Consulate Rio De Janeiro", "AMCONSUL RIO DE JANEIRO", "RUEHRI", "BR", ("Brazil", "Brazilian", "GOB"), 4, 500),
    post("ISTANBUL", "ISTANBUL", "Consulate Istanbul", "AMCONSUL ISTANBUL", "RUEHIT", "TU", ("Turkey", "Turkish", "GOT"), 8, 600),
    post("HONGKONG", "HONG KONG", "Consulate Hong Kong", "AMCONSUL HONG KONG", "RUEHHK", "HK", ("Hong Kong", "Hong Kong", "HKG"), 12, 3000),
    post("JERUSALEM", "JERUSALEM", "Consulate Jerusalem", "AMCONSUL JERUSALEM", "RUEHJM", "IS", ("the West Bank", "Palestinian", "PA"), 8, 2500),
    post("DUBAI", "DUBAI", "Consulate Dubai", "AMCONSUL DUBAI", "RUEHDE", "AE", ("the UAE", "Emirati", "UAEG"), 5, 600),
    post("KARACHI", "KARACHI", "Consulate Karachi", "AMCONSUL KARACHI", "RUEHKP", "PK", ("Pakistan", "Pakistani", "GOP"), 5, 800),
    post("MUMBAI", "MUMBAI", "Consulate Mumbai", "AMCONSUL MUMBAI", "RUEHBI", "IN", ("India", "Indian", "GOI"), 5, 600),
    post("SAOPAULO", "SAO PAULO", "Consulate Sao Paulo", "AMCONSUL SAO PAULO", "RUEHSO", "BR", ("Brazil", "Brazilian", "GOB"), 6, 1100),
    post("USUNNEWYORK", "USUN NEW YORK", "Mission USUN New York", "USMISSION USUN NEW YORK", "RUCNDT", "", ("the United Nations", "UN", "UN Secretariat"), 14, 1100),
    post("GENEVA", "GENEVA", "US Mission Geneva", "USMISSION GENEVA", "RUEHGV", "", ("Geneva", "UN", "UN Secretariat"), 8, 1000),
    post("USNATO", "USNATO", "Mission USNATO", "USMISSION USNATO", "RUEHNO", "", ("NATO", "Allied", "NATO Secretariat"), 10, 600),
    years(post("USEUBRUSSELS", "USEU BRUSSELS", "USEU Brussels", "USEU BRUSSELS", "RUEHBS", "", ("the European Union", "EU", "European Commission"), 7, 4000), 1970, 2010),
];

/// Extra country codes for TAGS lines beyond the posts' own.
pub static EXTRA_COUNTRY_TAGS: &[&str] = &[
    "US", "UR", "KN", "IR", "XF", "XG", "FR", "UK", "GM", "CH", "RS", "AF", "IZ", "PK", "IS", "BG",
    "KS", "AE", "SU", "SO", "ET", "CU", "LE", "SY",
];

/// Subject TAGS codes from the shared taxonomy (`tags.tsv`), grouped by the theme that uses them.
pub static ADMIN_TAGS: &[&str] = &[
    "AMGT", "ASEC", "AEMR", "APER", "ABLD", "ABUD", "AFIN", "AFSN", "ACOA", "AINF", "ASIG", "ATRN",
    "AODE", "ADPM", "AORC",
];

/// Rare extra codes sprinkled into long TAGS lines so that every taxonomy group turns up.
pub static RARE_TAGS: &[&str] = &[
    "AADP", "AART", "AAUD", "ACKM", "ACLM", "ACMM", "ACMS", "ACOM", "ACOU", "ADCO", "ADTO", "AFAC",
    "AFOP", "AFSI", "AFSP", "AGAO", "AINR", "AINT", "ALEO", "ALIB", "ALOW", "ALTR", "AMED", "AMTC",
    "ANET", "AOMS", "AORG", "APCS", "APOU", "APUB", "AREC", "AREG", "ASAF", "ASCH", "ASUP", "AVCE",
    "AWRD", "BAGB", "BBAK", "BBCP", "BBSR", "BDIS", "BENC", "BEXP", "BFOL", "BGEN", "BLIB", "BMGT",
    "BPRO", "BPUB", "BTIO", "BTRA", "CARR", "CDES", "CFED", "CGEN", "CJAN", "CLOK", "CPRS", "ECPS",
    "EFIS", "OCLR", "OCON", "OEXC", "OGEN", "OSCI",
];

/// A subject area: its TAGS, what its cables are about, and how their subjects read.
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub tags: &'static [&'static str],
    /// Noun phrases the cable is about; may contain slots.
    pub topics: &'static [&'static str],
    /// Theme-specific subject lines; may contain slots.
    pub subjects: &'static [&'static str],
    /// Relative share of the corpus.
    pub weight: u32,
}

pub static THEMES: &[Theme] = &[
    // Bilateral and regional politics.
    Theme {
        tags: &["PREL", "PGOV", "PINT", "PFOR"],
        topics: &[
            "the border dispute with {X}",
            "relations with {X}",
            "the {A} position on Kosovo status",
            "the proposed missile defense sites",
            "the Iran nuclear file",
            "the frozen conflicts in the region",
            "regional security architecture",
            "the new cabinet's foreign policy priorities",
            "the strategic dialogue with Washington",
            "the peace process",
            "the status of forces agreement",
            "the reform of the security services",
            "the six-party talks",
            "counterterrorism cooperation",
            "the OSCE chairmanship",
            "the treaty ratification debate",
        ],
        subjects: &[
            "{A} officials explain views on {T}",
            "{C}: {T} {STATUS}",
            "{G} seeks U.S. understanding on {T}",
            "{TITLECASE} {PL} on {T}",
            "{C} and {X}: {T}",
        ],
        weight: 30,
    },
    // Domestic politics and elections.
    Theme {
        tags: &["PGOV", "PINT", "PREL", "KPAO"],
        topics: &[
            "the {Y} parliamentary elections",
            "the presidential succession",
            "the ruling party congress",
            "the constitutional reform package",
            "the opposition's boycott of parliament",
            "the anti-corruption campaign",
            "local election results in the provinces",
            "the coalition negotiations",
            "the new electoral law",
            "press freedom and the media law",
            "the cabinet reshuffle",
            "the trial of the former interior minister",
            "NGO registration rules",
            "the referendum campaign",
        ],
        subjects: &[
            "{C}: {T} {STATUS}",
            "{A} opposition leaders on {T}",
            "{T}: a closer look",
            "{C} political roundup: {T}",
            "{A} party leaders discuss {T} with Ambassador",
        ],
        weight: 22,
    },
    // Economy and finance.
    Theme {
        tags: &["ECON", "EFIN", "EINV", "ETRD", "EAID"],
        topics: &[
            "the {Y} budget",
            "inflation and the central bank's response",
            "the banking sector crisis",
            "the IMF program review",
            "anti-money laundering legislation",
            "the privatization of the state telecom company",
            "foreign direct investment rules",
            "the sovereign wealth fund",
            "the global financial crisis",
            "the stimulus package",
            "tax reform",
            "the debt restructuring talks",
            "currency controls",
        ],
        subjects: &[
            "{C}: {T} {STATUS}",
            "{A} economic officials on {T}",
            "{T}: what it means for U.S. investors",
            "Treasury DAS visit: {T}",
            "{C} economic update: {T}",
        ],
        weight: 16,
    },
    // Trade, investment, energy and mining.
    Theme {
        tags: &["ETRD", "EINV", "EMIN", "EIND", "BEXP", "ECIN"],
        topics: &[
            "the WTO accession talks",
            "the gas supply dispute with {X}",
            "the proposed pipeline through {X}",
            "the free trade agreement",
            "intellectual property enforcement",
            "the oil and gas production-sharing contracts",
            "the nuclear power tender",
            "market access for U.S. beef",
            "the customs union with {X}",
            "the mining code revision",
            "electricity sector reform",
            "export controls on dual-use goods",
            "the aviation agreement",
        ],
        subjects: &[
            "{C}: {T} {STATUS}",
            "{A} officials seek U.S. support on {T}",
            "{T}: {A} response to U.S. demarche",
            "Commercial advocacy: {T}",
            "{A} ministry outlines plans for {T}",
        ],
        weight: 14,
    },
    // Military and security cooperation.
    Theme {
        tags: &["MARR", "PREL", "PGOV", "PINT"],
        topics: &[
            "the defense cooperation agreement",
            "troop contributions to ISAF",
            "the counter-narcotics program",
            "foreign military financing for {Y}",
            "the security situation in the northern provinces",
            "the military modernization plan",
            "maritime security in the Gulf",
            "the peacekeeping deployment",
            "arms transfers to {X}",
            "the joint military exercise",
            "basing access",
            "the border security program",
        ],
        subjects: &[
            "{C}: {T} {STATUS}",
            "{A} MOD on {T}",
            "{T}: next steps",
            "Pol-mil talks: {T}",
            "{A} officials request assistance for {T}",
        ],
        weight: 10,
    },
    // The UN and other international organizations.
    Theme {
        tags: &["PREL", "AORC", "PFOR", "KPAO"],
        topics: &[
            "UNSCR {R} sanctions committee mandate renewal",
            "the Human Rights Council session",
            "the IAEA Board of Governors meeting",
            "UN Security Council reform",
            "the draft resolution on {X}",
            "the UNGA Third Committee vote",
            "the Durban Review Conference",
            "the candidacy for a non-permanent Security Council seat",
            "the climate change negotiations",
            "the UN budget scale of assessments",
            "the peacekeeping mandate in {X}",
        ],
        subjects: &[
            "{A} officials explain views on {T}",
            "Demarche delivered: {T}",
            "{T}: {A} response to U.S. demarche",
            "{PL} seek consensus on {T}",
            "Request for support: {T}",
        ],
        weight: 10,
    },
    // Consular affairs.
    Theme {
        tags: &["CVIS", "CASC", "CMGT", "CPAS", "KPAO"],
        topics: &[
            "the visa waiver program",
            "the detained American citizen",
            "visa fraud trends",
            "the adoption of {A} children by U.S. families",
            "student visa demand",
            "consular access to dual nationals",
            "the new passport law",
            "the evacuation plan for U.S. citizens",
            "child abduction cases",
        ],
        subjects: &[
            "{C}: {T} {STATUS}",
            "Consular update: {T}",
            "{T}: {A} response to U.S. demarche",
            "Fraud summary: {T}",
        ],
        weight: 6,
    },
    // Press and public diplomacy.
    Theme {
        tags: &["KMDR", "KPAO", "PREL", "OEXC"],
        topics: &[
            "the Secretary's speech",
            "U.S. policy on {X}",
            "the upcoming summit",
            "the President's visit",
            "the war in Iraq",
            "the elections in {X}",
            "the financial crisis",
            "the international exchange programs",
        ],
        subjects: &[
            "{A} media reaction: {T}",
            "Media reaction: {T}",
            "Public diplomacy: {T}",
            "{A} press comments on {T}",
        ],
        weight: 7,
    },
    // Visits.
    Theme {
        tags: &["OVIP", "OREP", "OTRA", "PREL"],
        topics: &[
            "the Deputy Secretary's visit",
            "the CODEL {LAST} visit",
            "the Under Secretary's trip",
            "the Foreign Minister's trip to Washington",
            "the ministerial meeting",
            "the staffdel visit",
        ],
        subjects: &[
            "Scenesetter for CODEL {LAST}'s visit to {C}",
            "Scenesetter for {T}",
            "{T}: meeting with {A} officials",
            "Readout of {T}",
        ],
        weight: 5,
    },
    // Agriculture, labor, fisheries, aviation, environment.
    Theme {
        tags: &["EAGR", "ELAB", "EFIS", "EAIR", "ELTN", "EAID"],
        topics: &[
            "the avian influenza outbreak",
            "biotech crop approvals",
            "the labor code amendments",
            "fishing rights in the disputed waters",
            "the airport security upgrade",
            "the open skies negotiations",
            "the drought and food security",
            "the child labor report",
            "the rail concession",
        ],
        subjects: &[
            "{C}: {T} {STATUS}",
            "{A} officials on {T}",
            "{T}: {A} response to U.S. demarche",
            "Update on {T}",
        ],
        weight: 6,
    },
    // Post management.
    Theme {
        tags: ADMIN_TAGS,
        topics: &[
            "the new embassy compound",
            "the post staffing plan",
            "the security upgrade at the chancery",
            "the local staff compensation review",
            "the emergency action plan",
            "the warden message on demonstrations",
            "the mission strategic plan",
        ],
        subjects: &[
            "{T} {STATUS}",
            "Request for approval: {T}",
            "Management notice: {T}",
            "Embassy {CITY}: {T}",
        ],
        weight: 4,
    },
];

/// How a subject reports the state of affairs.
pub static STATUS: &[&str] = &[
    "stalls",
    "moves forward",
    "update",
    "back on track",
    "faces new hurdles",
    "gains momentum",
    "on hold",
    "in question",
    "still unresolved",
    "takes shape",
    "draws criticism",
    "heats up",
];

/// Plural actors for subjects (`{PL}`).
pub static PLURAL_ACTORS: &[&str] = &[
    "Allies",
    "EU partners",
    "Nordic partners",
    "Gulf states",
    "P5 members",
    "G-8 partners",
    "Regional leaders",
];

/// Subject openers naming who acted (`{TITLECASE}`).
pub static SUBJECT_ACTORS: &[&str] = &[
    "Ambassador presses MFA",
    "DCM consults Presidential Administration",
    "Charge engages Foreign Minister",
    "Deputy Foreign Minister briefs Ambassador",
    "Ambassador raises concerns with Prime Minister",
    "Poloff discusses",
];

pub static US_FIRST: &[&str] = &[
    "John", "Mary", "Robert", "Linda", "James", "Susan", "Michael", "Karen", "David", "Ellen",
    "Richard", "Nancy", "Thomas", "Carol", "Daniel", "Patricia", "Mark", "Anne", "Paul", "Laura",
    "Steven", "Janet", "Kevin", "Diane", "Brian", "Margaret", "Gregory", "Ruth", "Peter", "Alice",
];

pub static US_LAST: &[&str] = &[
    "Anderson",
    "Baker",
    "Carter",
    "Dawson",
    "Ellison",
    "Fisher",
    "Garrett",
    "Holloway",
    "Ingram",
    "Jensen",
    "Keller",
    "Lawson",
    "Mercer",
    "Norwood",
    "O'Connell",
    "Prentice",
    "Quinlan",
    "Ramsey",
    "Sheridan",
    "Thornton",
    "Underwood",
    "Vance",
    "Whitaker",
    "Yates",
    "Brennan",
    "Callahan",
    "Donnelly",
    "Fairbanks",
    "Hastings",
    "McAllister",
    "Pemberton",
    "Radcliffe",
    "Stanton",
    "Townsend",
    "Wexler",
    "O'Rourke",
    "Castellano",
    "Lindqvist",
];

pub static LOCAL_FIRST: &[&str] = &[
    "Aleksandr",
    "Sergey",
    "Elena",
    "Mehmet",
    "Ayse",
    "Javier",
    "Carmen",
    "Luis",
    "Ana",
    "Wei",
    "Li",
    "Hiroshi",
    "Yuki",
    "Ahmed",
    "Fatima",
    "Omar",
    "Karim",
    "Jean-Pierre",
    "Claire",
    "Klaus",
    "Ingrid",
    "Giovanni",
    "Paolo",
    "Marek",
    "Agnieszka",
    "Viktor",
    "Oksana",
    "Rahul",
    "Priya",
    "Tariq",
    "Nasser",
    "Jorge",
    "Beatriz",
    "Samuel",
    "Grace",
    "Nguyen",
    "Somchai",
    "Dmitriy",
    "Nikolai",
    "Hassan",
    "Leila",
    "Andres",
    "Ricardo",
    "Kofi",
    "Amina",
];

pub static LOCAL_LAST: &[&str] = &[
    "Petrov",
    "Volkov",
    "Kuznetsova",
    "Yilmaz",
    "Demir",
    "Fernandez",
    "Moreno",
    "Castillo",
    "Zhang",
    "Wang",
    "Tanaka",
    "Sato",
    "Al-Hashimi",
    "Haddad",
    "Mansour",
    "Dubois",
    "Lefevre",
    "Schneider",
    "Hoffmann",
    "Rossi",
    "Bianchi",
    "Kowalski",
    "Nowak",
    "Shevchenko",
    "Bondarenko",
    "Sharma",
    "Gupta",
    "Qureshi",
    "Rahman",
    "Mendoza",
    "Silva",
    "Oliveira",
    "Okonkwo",
    "Mwangi",
    "Tran",
    "Srisuk",
    "Morozov",
    "Sokolov",
    "Khalil",
    "Nasser",
    "Herrera",
    "Vargas",
    "Mensah",
    "Diallo",
    "Aziz",
    "Karimov",
    "Aliyev",
    "Lindberg",
    "Janssen",
    "D'Alessandro",
];

/// Local officials' titles, written before the name (`{P}` on first mention).
pub static LOCAL_TITLES: &[&str] = &[
    "Deputy Foreign Minister",
    "MFA Director for North America",
    "Senior Counselor",
    "Presidential Advisor",
    "Interior Minister",
    "Deputy Minister of Energy",
    "parliamentarian",
    "opposition leader",
    "Central Bank Governor",
    "Finance Minister",
    "MFA Americas Department head",
    "Deputy Defense Minister",
    "Chief of General Staff",
    "ruling party Secretary General",
    "Prime Minister's foreign policy advisor",
    "Trade Minister",
    "Deputy Director of the MFA Department of Security Affairs",
    "respected journalist",
    "think tank analyst",
    "Chamber of Commerce President",
    "Supreme Court Justice",
    "Governor",
];

/// U.S. actors in sentences (`{U}`).
pub static US_ACTORS: &[&str] = &[
    "the Ambassador",
    "the DCM",
    "the Charge",
    "PolOff",
    "EconOff",
    "PolCouns",
    "Embassy officers",
    "the visiting delegation",
    "PolMilOff",
    "the Econ Counselor",
];

/// Host-government institutions (`{M}`).
pub static MINISTRIES: &[&str] = &[
    "the MFA",
    "the Ministry of Defense",
    "the Ministry of Interior",
    "the Ministry of Finance",
    "the Ministry of Economy",
    "the Presidential Administration",
    "the Prime Minister's office",
    "the National Security Council",
    "the Central Bank",
    "the Ministry of Justice",
    "the Ministry of Energy",
    "the Ministry of Trade",
    "the parliament's foreign affairs committee",
    "the Central Election Commission",
    "the Prosecutor General's Office",
];

/// International organizations (`{O}`).
pub static ORGANIZATIONS: &[&str] = &[
    "the EU",
    "NATO",
    "the OSCE",
    "the UN Security Council",
    "the IMF",
    "the World Bank",
    "the IAEA",
    "the Arab League",
    "the African Union",
    "ASEAN",
    "the OAS",
    "the G-8",
];

/// Where information came from (`{S}`).
pub static SOURCES: &[&str] = &[
    "a well-placed contact",
    "an MFA official",
    "a senior advisor to the President",
    "an independent analyst",
    "a Western diplomat",
    "an opposition insider",
    "a business contact",
    "a local NGO representative",
    "a ruling party official",
    "a veteran journalist",
];

/// Upcoming events (`{E}`).
pub static EVENTS: &[&str] = &[
    "the upcoming summit",
    "the next round of talks",
    "the spring elections",
    "the ministerial in Brussels",
    "the end of the year",
    "the budget debate",
    "the party congress",
    "the President's visit",
    "the donors' conference",
    "the next Board meeting",
];

/// What governments do (`{V}`), as a bare infinitive.
pub static ACTIONS: &[&str] = &[
    "support",
    "reconsider its approach to",
    "delay a decision on",
    "take a harder line on",
    "seek compromise on",
    "consult with partners on",
    "move quickly on",
    "reopen discussion of",
    "block progress on",
    "fund",
    "review",
    "press ahead with",
];

/// Concerns officials voice (`{K}`), as a clause.
pub static CONCERNS: &[&str] = &[
    "the timing was not right",
    "domestic opinion would not accept it",
    "the coalition was divided on the issue",
    "the neighbors would see it as a provocation",
    "the costs had not been fully assessed",
    "Washington had not consulted early enough",
    "the legal basis remained unclear",
    "the security services opposed the plan",
    "the budget could not absorb new commitments",
    "parliament would have the final word",
];

/// Short quoted words (`{Q}`); the quotes exercise the dump's escaping.
pub static QUOTES: &[&str] = &[
    "\"flexible\"",
    "\"premature\"",
    "\"a matter of principle\"",
    "\"not the right signal\"",
    "\"constructive\"",
    "\"an internal matter\"",
    "\"unacceptable\"",
    "\"a first step\"",
];

/// Quoted judgements of U.S. conduct (`{QA}`).
pub static QUOTED_JUDGEMENTS: &[&str] = &[
    "\"unhelpful\"",
    "\"heavy-handed\"",
    "\"inflexible\"",
    "\"too slow\"",
    "\"insufficiently engaged\"",
];

/// Sentence templates for ordinary paragraphs. Slots: `{P}` a local official (full on first
/// mention), `{L}` the same official's surname, `{U}` a U.S. actor, `{M}` a ministry, `{G}` the
/// host government, `{C}` country, `{A}` adjective, `{X}` another country, `{T}` the topic,
/// `{D}` a date, `{V}` an action, `{K}` a concern, `{O}` an organization, `{S}` a source,
/// `{E}` an event, `{Q}`/`{QA}` quoted words, `{N}` a number, `{NS}` a small one,
/// `{PCT}` a percentage.
pub static SENTENCES: &[&str] = &[
    "{P} told {U} on {D} that the {G} was prepared to {V} {T}.",
    "{L} stressed that {C} remained committed to {T}, but said that {K}.",
    "According to {S}, the {G} will not {V} {T} until after {E}.",
    "We urged {L} to {V} {T} before {E}.",
    "{L} noted that {M} had already raised {T} with {O} and expected an answer soon.",
    "{L} described the {A} approach as {Q}, adding that {K}.",
    "In a separate meeting, {P} said {M} saw {T} as a test of the relationship with Washington.",
    "According to {S}, {M} and {M} disagree sharply over {T}.",
    "The {G} has so far declined to {V} {T}, citing concerns that {K}.",
    "{L} asked whether the U.S. would {V} {T} if {O} took the lead.",
    "Asked about {T}, {L} replied that {K}.",
    "{U} emphasized that the U.S. expects the {G} to {V} {T} and to keep us informed.",
    "{L} predicted that {E} would bring the issue to a head.",
    "There are about {N} people directly affected, according to {S}.",
    "{M} has set up a working group of {NS} experts to study {T}.",
    "{L} said that {X} had privately signaled it would {V} {T}.",
    "The {A} press has given {T} extensive coverage, much of it critical of the {G}.",
    "{L} complained that the U.S. had been {QA} in its handling of {T}.",
    "We reminded {L} that {T} remains a priority for Washington.",
    "{L} agreed to provide a written response after consulting {M}.",
    "Public opinion polls show that {PCT} percent of {A} respondents oppose the {G} line on {T}.",
    "{S} believes that the {G} is using {T} to gain leverage with {O}.",
    "{L} confirmed that {M} would send a delegation to Washington to discuss {T}.",
    "The {G} has not yet responded to our {D} non-paper on {T}.",
    "{P} cautioned that {K} and that any move on {T} would take time.",
    "Post will continue to follow {T} closely and report developments septel.",
    "{L} welcomed U.S. engagement but said the {G} would decide on {T} alone.",
    "{U} pointed out that {O} had offered technical help on {T}.",
    "Since {D}, {M} has issued {NS} statements on {T}, none of them conclusive.",
    "{L} hinted that {C} could {V} {T} in exchange for progress with {O}.",
];

/// Opening sentences of a summary paragraph.
pub static SUMMARY_OPENERS: &[&str] = &[
    "In a meeting on {D}, {P} told {U} that the {G} would {V} {T}.",
    "The {G} appears ready to {V} {T}, despite warnings that {K}.",
    "{P} used a meeting with {U} on {D} to press the {A} case on {T}.",
    "Debate over {T} has intensified since {D}, and the {G} appears divided.",
];

/// Sentences for a closing comment paragraph.
pub static COMMENTS: &[&str] = &[
    "The {G}'s handling of {T} suggests that it is hedging its bets until {E}.",
    "We see little chance that the {G} will {V} {T} without sustained pressure from Washington.",
    "{L}'s remarks are consistent with what we hear from {S}.",
    "We recommend that Washington raise {T} with the {A} delegation at {E}.",
    "Whether the {G} can deliver on {T} will depend largely on {O}.",
];

/// Short headings for long new-style cables.
pub static HEADINGS: &[&str] = &[
    "Background",
    "Views on the Way Ahead",
    "Next Steps",
    "The Domestic Angle",
    "Regional Dimension",
    "Economic Impact",
    "Comment",
    "What Comes Next",
];

/// Roles that sign the `Classified By:` line of an embassy cable.
pub static CLASSIFIERS: &[&str] = &[
    "Ambassador",
    "Charge d'Affaires",
    "DCM",
    "Political Counselor",
    "Economic Counselor",
    "Political Minister-Counselor",
    "Deputy Political Counselor",
    "Acting Political Counselor",
    "Pol/Econ Chief",
    "Consul General",
];

/// Department bureaus and offices for `DEPT FOR` lines and Department classifiers.
pub static BUREAUS: &[&str] = &[
    "EUR", "NEA", "SCA", "EAP", "WHA", "AF", "ISN", "INL", "DRL", "EEB", "PM", "IO", "CA",
];
pub static OFFICES: &[&str] = &[
    "RUS", "CE", "WE", "SE", "ERA", "RPM", "IR", "I", "CM", "PPD",
];

/// Routing indicators and names of frequent INFO addressees beside posts.
pub static INFO_COLLECTIVES: &[(&str, &str)] = &[
    ("RUEHZL", "EUROPEAN POLITICAL COLLECTIVE"),
    ("RUEHEE", "ARAB LEAGUE COLLECTIVE"),
    ("RUCNMEM", "EU MEMBER STATES COLLECTIVE"),
    ("RHEHNSC", "NSC WASHDC"),
    ("RUEKJCS", "SECDEF WASHDC"),
    ("RHMFISS", "HQ USEUCOM VAIHINGEN GE"),
    ("RUEAIIA", "CIA WASHDC"),
    ("RHEBAAA", "DEPT OF ENERGY WASHDC"),
    ("RUCPDOC", "USDOC WASHDC"),
    ("RUEATRS", "DEPT OF TREASURY WASHDC"),
    ("RUEKDIA", "DIA WASHDC"),
    ("RUEHGG", "UN SECURITY COUNCIL COLLECTIVE"),
];

/// INFO addressees of old cables, written without routing indicators.
pub static OLD_INFO: &[&str] = &[
    "USCINCSO",
    "CINCLANT",
    "SECDEF",
    "EUCOM",
    "CSAF",
    "USCINCEUR",
    "USNMR SHAPE",
    "USUN",
    "USMISSION NATO",
    "CINCPAC",
];

/// Relays named on the second header line.
pub static RELAYS: &[&str] = &[
    "RUEHWEB", "RUEHDE", "RUEHDIR", "RUEHBC", "RUEHROV", "RUEHTRO",
];

/// The Secretary of State who signs Department cables, by first year in office.
pub static SECRETARIES: &[(i32, &str)] = &[
    (1966, "RUSK"),
    (1969, "ROGERS"),
    (1973, "KISSINGER"),
    (1977, "VANCE"),
    (1980, "MUSKIE"),
    (1981, "HAIG"),
    (1982, "SHULTZ"),
    (1989, "BAKER"),
    (1993, "CHRISTOPHER"),
    (1997, "ALBRIGHT"),
    (2001, "POWELL"),
    (2005, "RICE"),
    (2009, "CLINTON"),
];

pub static MONTHS: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];

pub static MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn post_stations_are_canonical_forms_of_their_captions() {
        for p in POSTS {
            assert_eq!(p.caption.replace(' ', ""), p.station, "{}", p.origin);
            assert!(p.weight > 0 && p.volume > 0);
        }
        assert_eq!(POSTS[STATE].station, "STATE");
    }

    #[test]
    fn vocabularies_are_not_empty() {
        for t in THEMES {
            assert!(!t.tags.is_empty() && !t.topics.is_empty() && !t.subjects.is_empty());
        }
        assert!(!SENTENCES.is_empty() && !COMMENTS.is_empty() && !SUMMARY_OPENERS.is_empty());
    }

    #[test]
    fn no_backslashes_anywhere() {
        // The dump escapes with backslashes; text containing one would read back differently.
        let all = SENTENCES
            .iter()
            .chain(QUOTES)
            .chain(US_LAST)
            .chain(LOCAL_LAST);
        for s in all {
            assert!(!s.contains('\\'));
        }
    }
}
