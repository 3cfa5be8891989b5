//! Deterministic news-like corpus for the benchmarks.
//!
//! Shared by `benches/scan.rs` (`mod corpus;`) and `examples/make_corpus.rs`
//! (`#[path = "../benches/corpus/mod.rs"] mod corpus;`). Standard library
//! only; the same seed gives the same bytes on every machine and every run.
//!
//! The text is English news prose: articles with a headline, an optional
//! dateline, and paragraphs of 3-8 sentences separated by blank lines, on one
//! of six topics (politics, markets, shipping, weather, sport, business). It
//! is full of words that are terms of the bundled pack but harmless on their
//! own in news (oil, fuel, diesel, cargo, bank, payment, contract, coal,
//! steel, workers, military, missile, port, export, South Korea, Seoul ...),
//! has some non-ASCII text (Zürich, São Paulo, curly quotes, em dashes, a few
//! CJK words), some articles are hard-wrapped at 72 columns, and about 0.5%
//! of the sentences of [`article`] are real hits drawn from [`HIT_TEMPLATES`].

#![allow(dead_code)]

use std::fmt::Write as _;
use std::io;
use std::path::Path;

/// The seed used by [`clean_text`], [`dense_text`] and [`news_text`].
pub const DEFAULT_SEED: u64 = 0x5EED_2397_1718_0001;

/// Share of sentences that are hits in [`article`] and [`news_text`].
pub const ARTICLE_HIT_RATE: f64 = 0.005;

/// Share of sentences that are hits in [`dense_text`].
pub const DENSE_HIT_RATE: f64 = 1.0 / 3.0;

// ---------------------------------------------------------------------------
// PRNG

/// SplitMix64: tiny, fast, and good enough to pick words.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator for this seed.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (((self.next_u64() >> 11) as u128 * n as u128) >> 53) as usize
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// A float in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// One word of a non-empty list.
    pub fn word(&mut self, items: &[&'static str]) -> &'static str {
        items[self.below(items.len())]
    }
}

/// Mixes a seed and an index into a new seed (for per-article generators).
pub fn mix(seed: u64, i: u64) -> u64 {
    Rng::new(seed ^ i.wrapping_mul(0xD6E8_FEB8_6659_FD93)).next_u64()
}

// ---------------------------------------------------------------------------
// Vocabulary. Placeholders in braces are filled by `Writer::fill`.

const DAYS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const MONTHS: &[&str] = &[
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
const PEOPLE: &[&str] = &[
    "Anna Berg",
    "Marco Rossi",
    "José Álvarez",
    "Søren Madsen",
    "Chloé Martin",
    "Jürgen Weiß",
    "Li Wei",
    "Tanaka Hiroshi",
    "Park Ji-won",
    "Priya Sharma",
    "Thomas Müller",
    "Lucía Fernández",
    "Ahmed Hassan",
    "Olga Petrova",
    "Maria Svensson",
    "James O’Connor",
    "Fatima Diallo",
    "Kenji Watanabe",
    "Ewa Nowak",
    "Pierre Dubois",
    "Zoë Clarke",
    "Mehmet Yılmaz",
    "Lee Min-ho",
    "Ana Sousa",
    "David Cohen",
    "Sarah Mitchell",
    "Carlos Ramírez",
    "Ingrid Hansen",
    "Wang Fang",
    "Nguyễn Văn An",
    "Rachel Green",
    "Tomás Ó Briain",
    "Björn Lindqvist",
    "Amélie Laurent",
];
const ROLES: &[&str] = &[
    "an economist",
    "chief economist",
    "a spokeswoman",
    "a spokesman",
    "head of research",
    "a senior official",
    "a fund manager",
    "the chief executive",
    "a professor of politics",
    "an analyst",
    "a union representative",
    "the harbour master",
    "a shipping broker",
];
const ORGS: &[&str] = &[
    "the statistics office",
    "the industry association",
    "the central bank",
    "the finance ministry",
    "a local newspaper",
    "the World Bank",
    "the OECD",
    "the trade union",
    "the port authority",
    "the chamber of commerce",
    "the weather service",
    "the football federation",
    "the energy regulator",
    "Orion Bank",
    "Northbridge Capital",
];
const CITIES: &[&str] = &[
    "Zürich",
    "São Paulo",
    "Malmö",
    "London",
    "Frankfurt",
    "Kraków",
    "Reykjavík",
    "Düsseldorf",
    "Montréal",
    "Bogotá",
    "Tokyo",
    "Seoul",
    "Busan",
    "Singapore",
    "Rotterdam",
    "Hamburg",
    "Oslo",
    "Madrid",
    "Lyon",
    "Chicago",
    "Sydney",
    "Mumbai",
    "Istanbul",
    "Cape Town",
    "Gdańsk",
    "Genève",
    "Göteborg",
    "Córdoba",
    "Nairobi",
    "Lagos",
    "Toronto",
    "Jakarta",
    "Manila",
    "Hanoi",
    "Osaka",
    "Incheon",
    "Tokyo (東京)",
    "Shanghai (上海)",
    "Seoul (서울)",
    "Hong Kong (香港)",
    "Brussels",
];
const PORTS: &[&str] = &[
    "Rotterdam",
    "Hamburg",
    "Singapore",
    "Busan",
    "Antwerp",
    "Felixstowe",
    "Gdańsk",
    "Göteborg",
    "Santos",
    "Algeciras",
    "Piraeus",
    "Le Havre",
    "Yokohama",
    "Incheon",
    "Port Klang",
    "Valparaíso",
];
const COUNTRIES: &[&str] = &[
    "Germany",
    "Brazil",
    "Japan",
    "South Korea",
    "France",
    "India",
    "Turkey",
    "Canada",
    "Mexico",
    "Poland",
    "Sweden",
    "Vietnam",
    "Indonesia",
    "Australia",
    "Italy",
    "Spain",
    "Nigeria",
    "Chile",
    "Norway",
    "Korea",
    "the United States",
    "Britain",
    "Côte d’Ivoire",
    "Colombia",
];
const COMPANIES: &[&str] = &[
    "Nordvik Shipping",
    "Helios Energy",
    "Aurora Textiles",
    "Brenner Steel",
    "Maris Logistics",
    "Kestrel Airlines",
    "Hanil Electronics",
    "Solano Foods",
    "Vantage Motors",
    "Bergström & Söhne",
    "Lumière Retail",
    "Tavira Fishing",
    "Orion Bank",
    "Pacific Coal Holdings",
    "Atlas Cargo",
    "Meridian Oil",
    "Crestline Mining",
    "Volta Power",
    "Danube Chemicals",
    "Sakura Securities",
    "Seoul Heavy Industries",
    "Açores Seafoods",
    "Northbridge Capital",
];
const SHIPS: &[&str] = &[
    "Nordic Star",
    "Pacific Dawn",
    "Stella Maris",
    "Oceanic Pride",
    "Blue Horizon",
    "Atlantic Breeze",
    "Sea Falcon",
    "Golden Wave",
    "Cape Lumière",
    "Baltic Trader",
    "Iris Mærsk",
];
const TEAMS: &[&str] = &[
    "Malmö FF",
    "FC Zürich",
    "Real Córdoba",
    "Busan Royals",
    "Hamburg Lions",
    "São Paulo Tigers",
    "Oslo United",
    "Seoul Dragons",
    "Kraków City",
    "Lyon Olympique",
    "Rotterdam Rovers",
];

const OPENERS: &[&str] = &[
    "On {DAY},",
    "Meanwhile,",
    "However,",
    "In {MONTH},",
    "Separately,",
    "Earlier this week,",
    "Last year,",
    "By contrast,",
    "In a statement,",
    "Still,",
    "At the same time,",
    "Later on {DAY},",
    "For now,",
    "As expected,",
    "In {CITY},",
];
const ATTRIBUTIONS: &[&str] = &[
    "officials said",
    "the agency reported",
    "{PERSON} said",
    "analysts said",
    "a spokesperson said",
    "according to {ORG}",
    "the report said",
    "people familiar with the matter said",
    "{PERSON}, {ROLE} at {ORG}, told reporters",
    "{ORG} said in a statement",
    "data showed",
];

/// Words and phrases of one topic.
struct Topic {
    name: &'static str,
    subjects: &'static [&'static str],
    predicates: &'static [&'static str],
    tails: &'static [&'static str],
}

const TOPICS: &[Topic] = &[
    Topic {
        name: "politics",
        subjects: &[
            "the government",
            "the prime minister",
            "the opposition party",
            "lawmakers",
            "the finance minister",
            "the president",
            "the coalition",
            "parliament",
            "the foreign ministry",
            "voters in {CITY}",
            "the European Commission",
            "the defence minister",
            "the mayor of {CITY}",
            "officials in Seoul",
            "the governing party",
            "{PERSON}",
            "the trade minister",
            "regional leaders",
            "senior diplomats",
            "the labour minister",
            "the senate",
        ],
        predicates: &[
            "announced a new budget for the coming year",
            "proposed changes to the pension system",
            "called for early elections",
            "rejected the proposal",
            "approved a military spending increase of {PCT} percent",
            "agreed to hold talks with {COUNTRY} next month",
            "criticised the plan as unrealistic",
            "won the vote by a narrow margin",
            "unveiled a plan to cut fuel subsidies",
            "pledged to support workers in the steel industry",
            "delayed a decision on the new port",
            "signed a trade agreement with {COUNTRY}",
            "discussed missile defence with allies",
            "postponed the visit to {CITY}",
            "raised concerns about import tariffs",
            "met union leaders to discuss wages",
            "promised to reduce the deficit",
            "launched an inquiry into the defence contract",
            "outlined a strategy for export growth",
            "defended the reform in a televised address",
            "condemned the attack on a military base",
            "proposed a cap on diesel prices",
            "ordered a review of the naval shipbuilding programme",
            "hosted the president of South Korea",
        ],
        tails: &[
            "after weeks of negotiations",
            "despite protests in {CITY}",
            "ahead of the summit in {CITY}",
            "amid growing pressure from business groups",
            "in a speech to parliament",
            "following a cabinet meeting on {DAY}",
            "as the campaign entered its final week",
            "before the {MONTH} deadline",
            "in a rare joint statement",
            "during a visit to {CITY}",
            "with support from smaller parties",
            "— a move critics called “long overdue”",
            "after polls showed support slipping",
        ],
    },
    Topic {
        name: "markets",
        subjects: &[
            "shares of {COMPANY}",
            "the benchmark index",
            "European stocks",
            "the dollar",
            "oil prices",
            "Brent crude",
            "gold",
            "government bond yields",
            "the euro",
            "investors",
            "traders in {CITY}",
            "analysts at {COMPANY}",
            "the yen",
            "copper futures",
            "the Kospi index in Seoul",
            "Asian markets",
            "the Nasdaq",
            "steel stocks",
            "shipping stocks",
            "bank shares",
            "diesel futures",
            "the won",
            "coal prices",
        ],
        predicates: &[
            "rose {PCT} percent",
            "fell {PCT} percent to {PRICE}",
            "climbed to a three-month high",
            "slipped for a second session",
            "edged higher in early trading",
            "gained {PCT} percent on the week",
            "dropped sharply in afternoon trade",
            "held steady near {PRICE}",
            "recovered some of the losses",
            "posted the biggest weekly gain since {MONTH}",
            "extended losses after the open",
            "traded in a narrow range",
            "hit a record high of {PRICE}",
            "weakened against the dollar",
        ],
        tails: &[
            "after data showed inflation cooling",
            "as investors weighed the outlook for interest rates",
            "amid concerns about weaker demand in {COUNTRY}",
            "ahead of the central bank meeting",
            "after a strong earnings report from {COMPANY}",
            "as diesel and fuel oil stocks fell",
            "on hopes of a trade deal",
            "following comments by the finance minister",
            "as coal and steel prices eased",
            "despite a stronger dollar",
            "as export orders from South Korea picked up",
            "in thin holiday trading",
            "— traders in Tokyo called it 様子見, wait and see",
        ],
    },
    Topic {
        name: "shipping",
        subjects: &[
            "the container ship {SHIP}",
            "port authorities in {PORT}",
            "the bulk carrier {SHIP}",
            "freight rates",
            "{COMPANY}",
            "dock workers in {PORT}",
            "the tanker {SHIP}",
            "cargo volumes at the port",
            "marine insurers",
            "the coast guard",
            "a ferry operator",
            "the shipbuilder {COMPANY}",
            "the harbour master",
            "the ship’s owner",
            "the crew",
        ],
        predicates: &[
            "arrived at {PORT} with {N} containers",
            "delayed departures because of strong winds",
            "reported a rise in cargo volumes of {PCT} percent",
            "ordered {SMALLN} new vessels from a yard in South Korea",
            "loaded {N} tonnes of grain for export",
            "unloaded a cargo of steel coils",
            "raised fuel surcharges for the winter",
            "signed a contract to expand the terminal",
            "diverted ships around the Cape of Good Hope",
            "cut sailing times between {PORT} and {PORT}",
            "bought marine diesel at the lowest price in months",
            "reported a backlog of ships waiting to berth",
            "switched to cleaner fuel",
            "rescued {SMALLN} fishermen from a sinking boat",
            "inspected the ship for safety defects",
            "paid a higher premium for cover in the Red Sea",
        ],
        tails: &[
            "because of congestion at the terminal",
            "after a strike by port workers",
            "as demand for imports recovered",
            "ahead of the holiday season",
            "due to fog in the estuary",
            "according to tracking data",
            "for the third month in a row",
            "as coal exports slowed",
            "on the route to {PORT}",
            "while the vessel was at anchor off {PORT}",
            "— the busiest week since {MONTH}",
        ],
    },
    Topic {
        name: "weather",
        subjects: &[
            "heavy rain",
            "a cold front",
            "forecasters",
            "the national weather service",
            "temperatures in {CITY}",
            "strong winds",
            "a heatwave",
            "snow",
            "the storm",
            "residents of {CITY}",
            "farmers in the region",
            "flood warnings",
            "the typhoon",
        ],
        predicates: &[
            "are expected to reach {TEMP} degrees",
            "caused flooding in low-lying areas",
            "closed several roads",
            "brought travel chaos to {CITY}",
            "forced the cancellation of {N} flights",
            "left thousands of homes without power",
            "damaged crops across the valley",
            "warned of icy conditions",
            "eased by the weekend",
            "disrupted fishing fleets along the coast",
            "kept ferries in port",
            "pushed up demand for heating oil",
            "broke a temperature record set in {YEAR}",
        ],
        tails: &[
            "on {DAY} morning",
            "for the rest of the week",
            "until at least {DAY}",
            "across the north of the country",
            "along the coast",
            "overnight",
            "in the mountains",
            "near {CITY}",
            "— the worst since {YEAR}",
            "as a second storm approached",
        ],
    },
    Topic {
        name: "sport",
        subjects: &[
            "{TEAM}",
            "the home side",
            "the visitors",
            "the coach",
            "the captain",
            "the striker {PERSON}",
            "the club",
            "fans in {CITY}",
            "the national team",
            "the goalkeeper",
            "the defending champion",
            "the league",
            "{PERSON}",
        ],
        predicates: &[
            "won {SCORE} against {TEAM}",
            "lost {SCORE} to {TEAM}",
            "drew {SCORE} with {TEAM}",
            "signed a new contract until {YEAR}",
            "scored twice in the second half",
            "missed a penalty in stoppage time",
            "moved to the top of the table",
            "announced the squad for the World Cup qualifiers",
            "confirmed the transfer of {PERSON}",
            "set a new course record",
            "was fined for misconduct",
            "reached the final",
            "beat South Korea on penalties",
            "celebrated at a café near the stadium",
        ],
        tails: &[
            "in front of a sell-out crowd",
            "on {DAY} night",
            "after extra time",
            "at the stadium in {CITY}",
            "for the first time since {YEAR}",
            "despite an early red card",
            "in the semi-final",
            "in driving rain",
            "— their first win in {SMALLN} games",
        ],
    },
    Topic {
        name: "business",
        subjects: &[
            "{COMPANY}",
            "the carmaker",
            "the airline",
            "the retailer",
            "the steel maker",
            "the textile group",
            "the bank",
            "the company’s chief executive",
            "the board",
            "the mining group",
            "the energy company",
            "the supermarket chain",
            "the electronics maker",
            "shareholders",
            "the regulator",
            "the fishing company",
            "the shipyard",
            "the defence contractor",
        ],
        predicates: &[
            "reported a {PCT} percent rise in quarterly profit",
            "cut {N} jobs",
            "raised its forecast for the year",
            "agreed to buy a rival for {MONEY}",
            "opened a new factory near {CITY}",
            "signed a supply contract with {COMPANY}",
            "delayed payment of the dividend",
            "hired {N} workers at its plant in {CITY}",
            "warned that higher fuel costs would weigh on margins",
            "moved its headquarters to {CITY}",
            "won a contract to build a port terminal",
            "expanded exports to South Korea",
            "recalled {N} vehicles",
            "cut prices at its café chain",
            "invested {MONEY} in a new steel plant",
            "reported strong import demand",
            "settled the dispute with its workers",
            "launched a fishing equipment business",
            "won an order for {SMALLN} missile frigates from the navy",
            "switched its trucks from diesel to electric",
            "closed a coal mine in {COUNTRY}",
            "opened a textile mill in {COUNTRY}",
            "issued bonds worth {MONEY}",
        ],
        tails: &[
            "citing weaker demand in {COUNTRY}",
            "as costs rose",
            "in a statement on {DAY}",
            "after a review of its operations",
            "to meet growing demand",
            "amid a slowdown in {COUNTRY}",
            "according to people familiar with the matter",
            "despite higher interest rates",
            "with help from a local bank",
            "as payment delays piled up",
            "— its biggest deal since {YEAR}",
            "after talks with the military procurement agency",
        ],
    },
];

/// Sentences that really describe a dealing the bundled pack flags. Each is
/// checked by `make_corpus --check`.
pub const HIT_TEMPLATES: &[&str] = &[
    "The tanker {TANKER} transferred {N} tonnes of diesel to a North Korean vessel off Nampo.",
    "Pyongyang sold {N} tonnes of frozen squid to buyers in {CNCITY}, customs records show.",
    "{COMPANY} wired payments for DPRK coal through a front company in Hong Kong.",
    "North Korea shipped {N} containers of artillery shells to Russia through the port of Rajin in {MONTH}.",
    "The crew switched off the AIS transponder of the {TANKER} before meeting a North Korean tanker in Korea Bay.",
    "A Chinese broker shipped {SMALLN} Lexus SUVs and a Range Rover to Pyongyang through {CNCITY}.",
    "Chinese traders in Dandong kept buying padded jackets made in North Korea and sold them with Made in China labels.",
    "About {N} North Korean labourers were still working on construction sites in Vladivostok in {YEAR}, the report said.",
    "In {YEAR} a Chinese beverage maker set up a joint venture with a North Korean trading company in Rason.",
    "The bulk carrier {TANKER} loaded {N} tonnes of North Korean coal at Nampo in {MONTH} for a buyer in Vietnam.",
    "Russia and North Korea signed a mutual defence pact on {DAY}.",
    "The tanker {TANKER} came alongside the North Korean-flagged tanker Sam Jong 2 and pumped some {N} tonnes across.",
    "A Hong Kong company chartered the North Korean-flagged cargo ship {TANKER} to carry coal to Vietnam.",
    "Chinese customs data show {N} tonnes of steel pipe and {SMALLN} trucks exported to North Korea in {YEAR}.",
    "The DPRK sold Hwasong-11 ballistic missiles and launchers to Russia in late {YEAR}.",
    "A bunker barge from Nakhodka refuelled the North Korean cargo ship {TANKER} off Vladivostok.",
    "Customs officers at Dandong found diamonds and gold jewellery bound for Pyongyang in a diplomat’s luggage.",
    "Pyongyang dispatched {N} workers to shipyards in Russia’s Far East last year.",
    "A Chinese seafood company hired {N} North Korean workers through a labour agency in {CNCITY}.",
    "Diplomats carried bulk cash in suitcases from Beijing to Pyongyang, the Panel of Experts found.",
    "A Singapore company wired US${SMALLN} million to Korea Kwangson Banking Corp in {YEAR}, court papers say.",
    "Smugglers carried gold bars from North Korea to Dubai in diplomatic bags.",
    "More than {N} Chinese trawlers fished for squid in North Korean waters in {YEAR}.",
    "China pumped about {N} tonnes of crude oil a year to North Korea through the pipeline under the Yalu.",
    "Traders in Dandong said jet fuel was still being trucked to Sinuiju in unmarked tank wagons.",
    "A Dandong trading company shipped {SMALLN} used excavators and two mobile cranes across the bridge to Sinuiju in {MONTH}.",
    "The broker shipped five-axis CNC machine tools to Pyongyang with a forged end-user certificate.",
    "North Korean IT workers using stolen identities were hired by {SMALLN} US companies as remote developers, prosecutors said.",
    "Police arrested a wholesaler on suspicion of importing frozen crab and clams from North Korea declared as Chinese.",
    "Chinese traders smuggled cases of French cognac and Cuban cigars into North Korea before the leader’s birthday.",
    "Russian authorities issued {N} work permits to North Korean nationals in {YEAR}, official statistics show.",
    "A Dandong bank issued letters of credit for fertiliser sales to a North Korean state trading company in {YEAR}.",
    "The Liberian-flagged tanker {TANKER} transferred {N} tonnes of gasoline to a North Korean vessel in the East China Sea.",
];

const TANKERS: &[&str] = &[
    "Ocean Glory",
    "Kingstar 7",
    "Shun Fa",
    "Lucky Star 3",
    "Hai Xing 9",
    "Blue Pearl 2",
    "Sun Rise",
    "New Regent",
    "Yuk Tung",
    "Koti",
    "Winson 5",
    "Jin Hye",
];
const CN_CITIES: &[&str] = &[
    "Dandong", "Dalian", "Shenyang", "Hunchun", "Yanji", "Qingdao",
];

// ---------------------------------------------------------------------------
// The writer

/// Generates text with one generator and one hit rate.
pub struct Writer {
    rng: Rng,
    hit_rate: f64,
}

impl Writer {
    /// A writer; `hit_rate` is the share of sentences drawn from
    /// [`HIT_TEMPLATES`] (0 for clean text).
    pub fn new(seed: u64, hit_rate: f64) -> Self {
        Writer {
            rng: Rng::new(seed),
            hit_rate,
        }
    }

    fn number(&mut self, out: &mut String) {
        let n = match self.rng.below(4) {
            0 => self.rng.range(20, 999),
            1 => self.rng.range(1, 99) * 100,
            2 => self.rng.range(1, 60) * 1000,
            _ => self.rng.range(1_000, 250_000),
        };
        let s = n.to_string();
        for (i, c) in s.chars().enumerate() {
            if i > 0 && (s.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
    }

    /// Appends `template` with its placeholders filled.
    pub fn fill(&mut self, template: &str, out: &mut String) {
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let close = open + rest[open..].find('}').expect("unclosed placeholder");
            let slot = &rest[open + 1..close];
            rest = &rest[close + 1..];
            let r = &mut self.rng;
            match slot {
                "DAY" => out.push_str(r.word(DAYS)),
                "MONTH" => out.push_str(r.word(MONTHS)),
                "YEAR" => {
                    let y = r.range(2009, 2025);
                    let _ = write!(out, "{y}");
                }
                "PERSON" => out.push_str(r.word(PEOPLE)),
                "ROLE" => out.push_str(r.word(ROLES)),
                "ORG" => out.push_str(r.word(ORGS)),
                "CITY" => out.push_str(r.word(CITIES)),
                "PORT" => out.push_str(r.word(PORTS)),
                "COUNTRY" => out.push_str(r.word(COUNTRIES)),
                "COMPANY" => out.push_str(r.word(COMPANIES)),
                "SHIP" => out.push_str(r.word(SHIPS)),
                "TEAM" => out.push_str(r.word(TEAMS)),
                "TANKER" => out.push_str(r.word(TANKERS)),
                "CNCITY" => out.push_str(r.word(CN_CITIES)),
                "N" => self.number(out),
                "SMALLN" => {
                    let n = r.range(2, 60);
                    let _ = write!(out, "{n}");
                }
                "PCT" => {
                    let (a, b) = (r.range(0, 14), r.below(10));
                    let _ = write!(out, "{a}.{b}");
                }
                "PRICE" => {
                    let _ = match r.below(4) {
                        0 => write!(out, "${}.{:02} a barrel", r.range(55, 110), r.below(100)),
                        1 => write!(out, "{} points", r.range(1_000, 40_000)),
                        2 => write!(out, "€{}.{:02}", r.range(1, 300), r.below(100)),
                        _ => write!(out, "¥{}", r.range(100, 20_000)),
                    };
                }
                "MONEY" => {
                    let _ = match r.below(3) {
                        0 => write!(out, "${}.{} billion", r.range(1, 40), r.below(10)),
                        1 => write!(out, "€{} million", r.range(20, 900)),
                        _ => write!(out, "£{} million", r.range(5, 500)),
                    };
                }
                "TEMP" => {
                    let t = r.range(0, 45) as i64 - 12;
                    let _ = write!(out, "{t}");
                }
                "SCORE" => {
                    let _ = write!(out, "{}-{}", r.range(0, 5), r.range(0, 4));
                }
                other => panic!("unknown placeholder {{{other}}}"),
            }
        }
        out.push_str(rest);
    }

    /// Appends one ordinary (no-hit) sentence of `topic`.
    fn ordinary_sentence(&mut self, topic: &Topic, out: &mut String) {
        let start = out.len();
        let shape = self.rng.below(100);
        if shape < 12 {
            // “Quote,” Person, role at Org, said.
            out.push('“');
            let q = out.len();
            self.clause(topic, out);
            if self.rng.chance(0.5) {
                out.push(' ');
                let t = *self.rng.pick(topic.tails);
                self.fill(t, out);
            }
            capitalize_at(out, q);
            out.push_str(",” ");
            let person = *self.rng.pick(PEOPLE);
            out.push_str(person);
            out.push_str(", ");
            let role = *self.rng.pick(ROLES);
            out.push_str(role);
            out.push_str(" at ");
            self.fill("{ORG}", out);
            out.push_str(", said.");
            return;
        }
        if shape < 22 {
            out.push_str("According to ");
            self.fill("{ORG}", out);
            out.push_str(", ");
            self.clause(topic, out);
        } else if shape < 40 {
            let o = *self.rng.pick(OPENERS);
            self.fill(o, out);
            out.push(' ');
            self.clause(topic, out);
        } else if shape < 55 {
            self.clause(topic, out);
            out.push_str(if self.rng.chance(0.5) {
                ", while "
            } else {
                ", and "
            });
            self.clause(topic, out);
        } else {
            self.clause(topic, out);
        }
        if self.rng.chance(0.7) {
            out.push(' ');
            let t = *self.rng.pick(topic.tails);
            self.fill(t, out);
            if self.rng.chance(0.2) {
                out.push(' ');
                let t = *self.rng.pick(topic.tails);
                self.fill(t, out);
            }
        }
        if self.rng.chance(0.35) {
            out.push_str(", ");
            let a = *self.rng.pick(ATTRIBUTIONS);
            self.fill(a, out);
        }
        out.push('.');
        capitalize_at(out, start);
    }

    /// subject + predicate.
    fn clause(&mut self, topic: &Topic, out: &mut String) {
        let s = *self.rng.pick(topic.subjects);
        self.fill(s, out);
        out.push(' ');
        let p = *self.rng.pick(topic.predicates);
        self.fill(p, out);
    }

    /// Appends one sentence: a hit with probability `hit_rate`.
    pub fn sentence(&mut self, topic_index: usize, out: &mut String) {
        if self.hit_rate > 0.0 && self.rng.chance(self.hit_rate) {
            let t = *self.rng.pick(HIT_TEMPLATES);
            self.fill(t, out);
        } else {
            self.ordinary_sentence(&TOPICS[topic_index % TOPICS.len()], out);
        }
    }

    /// Appends one paragraph of 3-8 sentences (no trailing newline).
    pub fn paragraph(&mut self, topic_index: usize, out: &mut String) {
        let n = self.rng.range(3, 8);
        for i in 0..n {
            if i > 0 {
                out.push(' ');
            }
            // Stay on topic, with an occasional sentence from another one.
            let t = if self.rng.chance(0.15) {
                self.rng.below(TOPICS.len())
            } else {
                topic_index
            };
            self.sentence(t, out);
        }
    }

    /// Appends one article of about `target_bytes` (headline, optional
    /// dateline, paragraphs separated by blank lines; ends with a newline).
    pub fn article(&mut self, target_bytes: usize, out: &mut String) {
        let topic = self.rng.below(TOPICS.len());
        let start = out.len();
        // Headline: a short clause in title case.
        let mut h = String::new();
        self.clause(&TOPICS[topic], &mut h);
        let words: Vec<&str> = h.split(' ').take(self.rng.range(5, 11)).collect();
        for (i, w) in words.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            let at = out.len();
            out.push_str(w);
            if w.len() > 3 || i == 0 {
                capitalize_at(out, at);
            }
        }
        out.push_str("\n\n");
        let wrap = self.rng.chance(0.2);
        if self.rng.chance(0.6) {
            let city = self.rng.pick(CITIES).to_uppercase();
            let _ = write!(
                out,
                "{city}, {} {} (Newswire) — ",
                self.rng.pick(MONTHS),
                self.rng.range(1, 28)
            );
        }
        let mut first = true;
        while out.len() - start < target_bytes || first {
            if !first {
                out.push_str("\n\n");
            }
            first = false;
            let p = out.len();
            self.paragraph(topic, out);
            if wrap {
                let para = out.split_off(p);
                wrap_into(&para, 72, out);
            }
        }
        out.push('\n');
    }
}

/// Upper-cases the character at byte `at` of `s`.
fn capitalize_at(s: &mut String, at: usize) {
    if let Some(c) = s[at..].chars().next()
        && c.is_lowercase()
    {
        let upper: String = c.to_uppercase().collect();
        s.replace_range(at..at + c.len_utf8(), &upper);
    }
}

/// Appends `text` hard-wrapped at `width` columns (characters).
fn wrap_into(text: &str, width: usize, out: &mut String) {
    let mut col = 0;
    for (i, word) in text.split(' ').enumerate() {
        let w = word.chars().count();
        if i > 0 {
            if col + 1 + w > width {
                out.push('\n');
                col = 0;
            } else {
                out.push(' ');
                col += 1;
            }
        }
        out.push_str(word);
        col += w;
    }
}

// ---------------------------------------------------------------------------
// Public entry points

/// One article of about `target_bytes` (at least that many, overshooting by
/// at most one paragraph); about 0.5% of its sentences are hits.
pub fn article(seed: u64, target_bytes: usize) -> String {
    let mut out = String::with_capacity(target_bytes + 2048);
    Writer::new(seed, ARTICLE_HIT_RATE).article(target_bytes, &mut out);
    out
}

/// Articles (2-14 KB each) concatenated, separated by a blank line, until
/// `bytes` is reached, with `hit_rate` of the sentences being hits.
pub fn articles_text(bytes: usize, seed: u64, hit_rate: f64) -> String {
    let mut out = String::with_capacity(bytes + 16 * 1024);
    let mut sizes = Rng::new(seed ^ 0xA5A5);
    let mut w = Writer::new(seed, hit_rate);
    while out.len() < bytes {
        if !out.is_empty() {
            out.push('\n');
        }
        w.article(article_size(&mut sizes), &mut out);
    }
    out
}

/// About `bytes` of news with no hit sentence and no DPRK name at all.
pub fn clean_text(bytes: usize) -> String {
    articles_text(bytes, DEFAULT_SEED, 0.0)
}

/// About `bytes` of news with a hit about every third sentence.
pub fn dense_text(bytes: usize) -> String {
    articles_text(bytes, DEFAULT_SEED ^ 1, DENSE_HIT_RATE)
}

/// About `bytes` of ordinary news (0.5% of sentences are hits), like one
/// file of the corpus.
pub fn news_text(bytes: usize) -> String {
    articles_text(bytes, DEFAULT_SEED ^ 2, ARTICLE_HIT_RATE)
}

/// Size of the next article: uniform in 2-14 KB (8 KB on average).
fn article_size(rng: &mut Rng) -> usize {
    rng.range(2 * 1024, 14 * 1024)
}

/// Articles per folder of the corpus.
pub const FILES_PER_DIR: usize = 500;

/// Writes articles as `dir/NNN/article-NNNNN.txt` (500 per folder, 8 KB on
/// average) until `total_bytes` is reached. Returns (files, bytes).
pub fn write_corpus(dir: &Path, total_bytes: u64, seed: u64) -> io::Result<(usize, u64)> {
    let mut sizes = Rng::new(seed ^ 0xC0_4B05);
    let (mut files, mut bytes) = (0usize, 0u64);
    let mut buf = String::new();
    while bytes < total_bytes {
        let sub = dir.join(format!("{:03}", files / FILES_PER_DIR));
        if files % FILES_PER_DIR == 0 {
            std::fs::create_dir_all(&sub)?;
        }
        buf.clear();
        let size = article_size(&mut sizes);
        Writer::new(mix(seed, files as u64), ARTICLE_HIT_RATE).article(size, &mut buf);
        std::fs::write(sub.join(format!("article-{files:05}.txt")), &buf)?;
        files += 1;
        bytes += buf.len() as u64;
    }
    Ok((files, bytes))
}

// ---------------------------------------------------------------------------
// Generated watch-list names (for the many-terms benchmarks)

const SURNAMES: &[&str] = &[
    "Kim", "Ri", "Pak", "Choe", "Jong", "Kang", "Han", "O", "Yun", "Jang", "Hwang", "Ryu", "Jon",
    "Hong", "Mun", "Paek", "Ko", "Sin", "Cha", "Ju", "Kwon", "Rim", "Yang", "Sim",
];
const SYLLABLES: &[&str] = &[
    "Chol", "Myong", "Song", "Yong", "Kwang", "Il", "Chang", "Hyok", "Un", "Nam", "Su", "Jin",
    "Hak", "Ho", "Sun", "Hui", "Ok", "Gwang", "Thae", "Ung", "Chun", "Hyon", "Tok", "Ryong", "Sok",
    "Jae", "Yon", "Kyong", "Mi", "Pong", "Sang", "Dok",
];
const FIRM_WORDS: &[&str] = &[
    "Ryonha",
    "Moranbong",
    "Haegumgang",
    "Chilbosan",
    "Paektu",
    "Kumsan",
    "Taesong",
    "Unha",
    "Sobaeksu",
    "Jangsu",
    "Ponghwa",
    "Samcholli",
    "Namgang",
    "Tonghae",
    "Sohung",
    "Ryugyong",
];
const FIRM_KINDS: &[&str] = &[
    "Trading Corporation",
    "General Trading Company",
    "Shipping Company",
    "Technology Company",
    "Marine Products Company",
    "Mining Company",
    "Joint Venture Company",
    "Export Corporation",
];

/// `n` distinct name-like terms (people "Ri Chol Ho", companies "Paektu
/// Mining Company 12", vessels "Kumsan 214"); none is a pack term in
/// practice. Deterministic for a seed.
pub fn extra_names(n: usize, seed: u64) -> Vec<String> {
    let mut rng = Rng::new(seed);
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(n);
    // Person names that the pack already has as terms.
    for taken in [
        "kim jong un",
        "kim jong il",
        "kim il sung",
        "kim yo jong",
        "ri il chol",
    ] {
        seen.insert(taken.to_string());
    }
    let mut tries = 0usize;
    while out.len() < n {
        tries += 1;
        let kind = rng.below(100);
        let mut name = if kind < 75 {
            let (s, a, b) = (rng.pick(SURNAMES), rng.pick(SYLLABLES), rng.pick(SYLLABLES));
            if rng.chance(0.3) {
                format!("{s} {a}-{}", b.to_lowercase())
            } else {
                format!("{s} {a} {b}")
            }
        } else if kind < 90 {
            format!(
                "{} {} {}",
                rng.pick(FIRM_WORDS),
                rng.pick(FIRM_KINDS),
                rng.range(1, 99)
            )
        } else {
            format!("{} {}", rng.pick(FIRM_WORDS), rng.range(100, 999))
        };
        // When person names run out, number them.
        if tries > 4 * n && kind < 75 {
            name = format!("{name} {}", rng.range(1, 999));
        }
        let key = name.to_lowercase().replace('-', " ");
        if seen.insert(key) {
            out.push(name);
        }
    }
    out
}

/// A rule file with one list `extra_names` of `names` and a rule
/// `bench.names` that fires when a name and a DPRK name are in one sentence.
/// Load it together with the bundled pack (it uses the pack's `dprk` list).
pub fn names_rule_yaml(names: &[String]) -> String {
    let mut y = String::with_capacity(names.len() * 24 + 512);
    y.push_str(
        "# Generated by benches/corpus (extra_names): a synthetic watch list for benchmarks.\n",
    );
    y.push_str("lists:\n  extra_names:\n    description: Generated name-like terms (benchmark only)\n    terms:\n");
    for n in names {
        let _ = writeln!(
            y,
            "      - \"{}\"",
            n.replace('\\', "\\\\").replace('"', "\\\"")
        );
    }
    y.push_str(
        "rules:
  - id: bench.names
    title: A watch-list name next to a DPRK name (benchmark)
    category: designated_parties
    severity: low
    citations: [{instrument: Bench}]
    match:
      all:
        - list: extra_names
        - list: dprk
",
    );
    y
}
