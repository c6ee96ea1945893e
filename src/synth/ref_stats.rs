//! Figures of a corpus's reference structure, to compare a generated corpus with Cablegate:
//! how many cables cite nothing, how many references cite cables that are not there, the
//! longest chains, the hubs and the largest connected cluster.
//!
//! The cables are added one by one, so a quarter million can be measured without keeping
//! their texts.

use std::collections::HashMap;

/// Accumulates the references of a corpus; [`RefStats::summary`] gives the figures.
#[derive(Debug, Default)]
pub struct RefStats {
    /// Every id met, generated or only cited, to its node number.
    nodes: HashMap<Box<str>, u32>,
    /// Per node: the date (seconds) of the cable when the corpus holds it.
    dates: Vec<Option<i64>>,
    /// (citing node, cited node), one per reference.
    edges: Vec<(u32, u32)>,
    cables: usize,
    citing_nothing: usize,
}

/// The figures of [`RefStats`].
#[derive(Debug, Clone, PartialEq)]
pub struct RefSummary {
    pub cables: usize,
    /// Share of cables whose REF line cites nothing.
    pub citing_nothing: f64,
    pub references: usize,
    /// References per cable.
    pub mean_references: f64,
    /// Share of references citing an id the corpus does not hold.
    pub missing_share: f64,
    /// Distinct ids cited but not in the corpus.
    pub distinct_missing: usize,
    /// The most cited id and how many cables cite it.
    pub top_hub: (String, usize),
    /// Ids cited by at least 100 cables.
    pub hubs_of_100: usize,
    /// Cables in the longest chain of cables each citing the one before.
    pub longest_chain: usize,
    /// Its ids, first cited first.
    pub longest_chain_ids: Vec<String>,
    /// Cables that end a chain of 5 to 15 cables (their longest chain back).
    pub chain_ends_5_to_15: usize,
    /// Cables of the corpus in the largest cluster, references taken as undirected edges
    /// (cables citing the same missing id are tied through it).
    pub largest_cluster: usize,
}

impl RefStats {
    pub fn add(&mut self, id: &str, date: i64, references: &[String]) {
        let node = self.node(id);
        self.dates[node as usize] = Some(date);
        self.cables += 1;
        if references.is_empty() {
            self.citing_nothing += 1;
        }
        for r in references {
            let cited = self.node(r);
            self.edges.push((node, cited));
        }
    }

    fn node(&mut self, id: &str) -> u32 {
        if let Some(&n) = self.nodes.get(id) {
            return n;
        }
        let n = self.dates.len() as u32;
        self.nodes.insert(id.into(), n);
        self.dates.push(None);
        n
    }

    pub fn summary(&self) -> RefSummary {
        let held = |n: u32| self.dates[n as usize].is_some();
        let references = self.edges.len();
        let missing_refs = self.edges.iter().filter(|e| !held(e.1)).count();
        let distinct_missing = self.dates.iter().filter(|d| d.is_none()).count();

        let mut in_degree = vec![0usize; self.dates.len()];
        for &(_, to) in &self.edges {
            in_degree[to as usize] += 1;
        }
        let (hub, &hub_degree) = in_degree
            .iter()
            .enumerate()
            .max_by_key(|&(i, d)| (d, std::cmp::Reverse(i)))
            .unwrap_or((0, &0));

        // Longest chains: references point back in time, so in date order every cited cable
        // is measured before the cables citing it.
        let mut order: Vec<u32> = (0..self.dates.len() as u32).filter(|&n| held(n)).collect();
        order.sort_by_key(|&n| self.dates[n as usize]);
        let mut cited_by_node: Vec<Vec<u32>> = vec![Vec::new(); self.dates.len()];
        for &(from, to) in &self.edges {
            if held(to) {
                cited_by_node[from as usize].push(to);
            }
        }
        let mut chain = vec![1usize; self.dates.len()];
        let mut previous: Vec<Option<u32>> = vec![None; self.dates.len()];
        for &n in &order {
            let back = cited_by_node[n as usize]
                .iter()
                .max_by_key(|&&c| (chain[c as usize], std::cmp::Reverse(c)));
            if let Some(&back) = back {
                chain[n as usize] = chain[back as usize] + 1;
                previous[n as usize] = Some(back);
            }
        }
        let last = order
            .iter()
            .copied()
            .max_by_key(|&n| (chain[n as usize], std::cmp::Reverse(n)));
        let longest_chain = last.map_or(0, |n| chain[n as usize]);
        let mut ids_by_node = vec![""; self.dates.len()];
        for (id, &n) in &self.nodes {
            ids_by_node[n as usize] = id;
        }
        let mut longest_chain_ids = Vec::new();
        let mut at = last;
        while let Some(n) = at {
            longest_chain_ids.push(ids_by_node[n as usize].to_string());
            at = previous[n as usize];
        }
        longest_chain_ids.reverse();
        let chain_ends_5_to_15 = order
            .iter()
            .filter(|&&n| (5..=15).contains(&chain[n as usize]))
            .count();

        let mut clusters = Clusters::new(self.dates.len());
        for &(from, to) in &self.edges {
            clusters.join(from, to);
        }
        let mut cluster_cables = vec![0usize; self.dates.len()];
        for n in 0..self.dates.len() as u32 {
            if held(n) {
                cluster_cables[clusters.root(n) as usize] += 1;
            }
        }
        let per = |x: usize, of: usize| if of == 0 { 0.0 } else { x as f64 / of as f64 };
        RefSummary {
            cables: self.cables,
            citing_nothing: per(self.citing_nothing, self.cables),
            references,
            mean_references: per(references, self.cables),
            missing_share: per(missing_refs, references),
            distinct_missing,
            top_hub: (ids_by_node.get(hub).unwrap_or(&"").to_string(), hub_degree),
            hubs_of_100: in_degree.iter().filter(|&&d| d >= 100).count(),
            longest_chain,
            longest_chain_ids,
            chain_ends_5_to_15,
            largest_cluster: cluster_cables.into_iter().max().unwrap_or(0),
        }
    }
}

impl std::fmt::Display for RefSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let pct = |x: f64| x * 100.0;
        writeln!(f, "cables                 {}", self.cables)?;
        writeln!(f, "citing nothing         {:.1}%", pct(self.citing_nothing))?;
        writeln!(
            f,
            "references             {} ({:.2} per cable)",
            self.references, self.mean_references
        )?;
        writeln!(
            f,
            "missing citations      {:.1}% of references, {} distinct ids",
            pct(self.missing_share),
            self.distinct_missing
        )?;
        writeln!(
            f,
            "most cited             {} by {} cables; {} ids cited by 100+",
            self.top_hub.0, self.top_hub.1, self.hubs_of_100
        )?;
        writeln!(
            f,
            "longest chain          {} cables; {} cables end a chain of 5-15",
            self.longest_chain, self.chain_ends_5_to_15
        )?;
        writeln!(
            f,
            "                       {}",
            self.longest_chain_ids.join(" <- ")
        )?;
        writeln!(
            f,
            "largest cluster        {} cables ({:.1}%)",
            self.largest_cluster,
            pct(if self.cables == 0 {
                0.0
            } else {
                self.largest_cluster as f64 / self.cables as f64
            })
        )
    }
}

/// Union-find with path halving, to find connected clusters.
struct Clusters {
    parent: Vec<u32>,
}

impl Clusters {
    fn new(n: usize) -> Clusters {
        Clusters {
            parent: (0..n as u32).collect(),
        }
    }

    fn root(&mut self, mut n: u32) -> u32 {
        while self.parent[n as usize] != n {
            let grand = self.parent[self.parent[n as usize] as usize];
            self.parent[n as usize] = grand;
            n = grand;
        }
        n
    }

    fn join(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.root(a), self.root(b));
        if ra != rb {
            self.parent[ra as usize] = rb;
        }
    }
}
