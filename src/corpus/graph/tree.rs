//! The conversation around one cable, as a tree to draw.
//!
//! From the cable in focus it gathers the cables it cites, recursively (its ancestors), then
//! draws downwards from the earliest of them: each cable's citers are its children. That
//! shows the path from each first cable down to the focus, each ancestor's other citers (the
//! focus's siblings in the exchange), and the cables that cite the focus, recursively.
//!
//! The largest real cluster holds about 100,000 cables, so everything is capped: how far up
//! and down the tree goes, how many citers a cable shows, and how many lines there are.
//! What is cut is a [`TreeItem::More`] line with its count. Every node is drawn once (a
//! cable cited along two paths appears under the first), which also makes cycles harmless.

use rustc_hash::{FxHashMap, FxHashSet};

use super::{Node, RefGraph, time_key};
use crate::corpus::entries::EntrySource;

/// How many generations of cited cables are gathered above the focus.
pub const MAX_UP: usize = 6;
/// How many generations of citers are drawn below the focus.
pub const MAX_DOWN: usize = 6;
/// Ancestors gathered at most (a cable citing hubs citing hubs…).
pub const MAX_ANCESTORS: usize = 60;
/// Citers shown under one cable before `… N more citers`.
pub const MAX_CHILDREN: usize = 12;
/// Lines of the whole tree.
pub const MAX_LINES: usize = 400;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TreeItem {
    /// A cable of the corpus (its entry).
    Cable(u32),
    /// A cited cable not in the corpus, by id.
    Missing(Box<str>),
    /// What the caps cut here.
    More(More),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum More {
    /// Citers of the line above's parent not shown.
    Citers(usize),
    /// Cables cited by the line below, further up than the tree goes.
    Earlier(usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeLine {
    pub item: TreeItem,
    /// Levels below the tree's roots.
    pub depth: usize,
    /// The last line among its siblings (drawn `└─` rather than `├─`).
    pub last: bool,
    /// For each level above this line's, whether a sibling further down still continues
    /// there (drawn `│`).
    pub rails: Vec<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ThreadTree {
    pub lines: Vec<TreeLine>,
    /// The line of the cable in focus.
    pub focus: usize,
    /// The tree reached [`MAX_LINES`] cables: past that, every cable's citers are cut (each
    /// cut said where it happens).
    pub capped: bool,
}

impl ThreadTree {
    /// The cables of the tree, in line order: what `thread:` matches and what disposing of
    /// the whole thread changes.
    pub fn cables(&self) -> impl Iterator<Item = u32> + '_ {
        self.lines.iter().filter_map(|l| match l.item {
            TreeItem::Cable(e) => Some(e),
            _ => None,
        })
    }
}

/// A node and where it hangs, before the lines are drawn.
struct Branch {
    node: Option<Node>,
    more: Option<More>,
    children: Vec<usize>,
}

impl RefGraph {
    /// The conversation of `entry` (see the module comment). An entry the graph does not
    /// cover gives a tree of itself alone.
    pub fn thread_tree(&self, entry: u32, entries: &(impl EntrySource + ?Sized)) -> ThreadTree {
        let Some(focus) = self.node_of(entry) else {
            return ThreadTree {
                lines: vec![TreeLine {
                    item: TreeItem::Cable(entry),
                    depth: 0,
                    last: true,
                    rails: Vec::new(),
                }],
                focus: 0,
                capped: false,
            };
        };
        let key = |node: Node| match self.entry_of(node) {
            Some(e) => time_key(entries, e),
            None => (i64::MIN, node),
        };

        // Ancestors, nearest first, with how many of their own citations were not followed.
        let mut up: FxHashMap<Node, usize> = FxHashMap::default();
        up.insert(focus, 0);
        let mut queue = std::collections::VecDeque::from([focus]);
        let mut cut_above: FxHashMap<Node, usize> = FxHashMap::default();
        while let Some(node) = queue.pop_front() {
            let level = up[&node];
            for &cited in self.cites_of_node(node) {
                if up.contains_key(&cited) {
                    continue;
                }
                if level >= MAX_UP || up.len() > MAX_ANCESTORS {
                    *cut_above.entry(node).or_default() += 1;
                    continue;
                }
                up.insert(cited, level + 1);
                queue.push_back(cited);
            }
        }
        let on_path = |node: Node| up.contains_key(&node);

        // Roots: gathered cables citing none of the others, earliest first. In a cycle of
        // citations every member cites another, so then the earliest ancestor roots it.
        let mut roots: Vec<Node> = up
            .keys()
            .copied()
            .filter(|&n| !self.cites_of_node(n).iter().any(|c| up.contains_key(c)))
            .collect();
        if roots.is_empty() {
            roots.extend(up.keys().copied().min_by_key(|&n| key(n)));
        }
        // Cables first: a cable citing one of them and a missing one hangs under the cable.
        roots.sort_unstable_by_key(|&n| (self.entry_of(n).is_none(), key(n)));

        // The focus's citers, recursively: drawn under the focus, never as someone's sibling.
        let mut below_focus: FxHashSet<Node> = FxHashSet::default();
        let mut level = vec![focus];
        for _ in 0..MAX_DOWN {
            let mut next = Vec::new();
            for &node in &level {
                for &c in self.citers(node) {
                    if below_focus.len() < MAX_LINES
                        && !up.contains_key(&c)
                        && below_focus.insert(c)
                    {
                        next.push(c);
                    }
                }
            }
            level = next;
        }

        // Down from the roots: path cables always, the focus's citers to MAX_DOWN levels,
        // other citers of a path cable (siblings) as leaves.
        let mut branches: Vec<Branch> = Vec::new();
        let mut drawn: FxHashSet<Node> = FxHashSet::default();
        let mut cables = 0usize;
        let mut capped = false;
        let mut top: Vec<usize> = Vec::new();
        // (branch, node, levels below the focus if under it)
        let mut stack: Vec<(usize, Node, Option<usize>)> = Vec::new();
        for &root in &roots {
            if !drawn.insert(root) {
                continue;
            }
            if let Some(&n) = cut_above.get(&root) {
                top.push(branches.len());
                branches.push(Branch {
                    node: None,
                    more: Some(More::Earlier(n)),
                    children: Vec::new(),
                });
            }
            top.push(branches.len());
            branches.push(Branch {
                node: Some(root),
                more: None,
                children: Vec::new(),
            });
            cables += 1;
            stack.push((branches.len() - 1, root, (root == focus).then_some(0)));
            while let Some((b, node, below)) = stack.pop() {
                let expand = match below {
                    Some(d) => d < MAX_DOWN,
                    None => on_path(node),
                };
                let citers = self.citers(node);
                if !expand {
                    if !citers.is_empty() && below.is_some() {
                        let n = citers.iter().filter(|&&c| !drawn.contains(&c)).count();
                        if n > 0 {
                            let more = branches.len();
                            branches.push(Branch {
                                node: None,
                                more: Some(More::Citers(n)),
                                children: Vec::new(),
                            });
                            branches[b].children.push(more);
                        }
                    }
                    continue;
                }
                let mut next: Vec<Node> = citers
                    .iter()
                    .copied()
                    .filter(|c| !drawn.contains(c))
                    .filter(|c| below.is_some() || !below_focus.contains(c))
                    .collect();
                // Path cables first, so the caps never cut the way to the focus.
                next.sort_unstable_by_key(|&c| (!on_path(c), key(c)));
                let mut shown = 0;
                let mut cut = 0;
                let mut pushed = Vec::new();
                for c in next {
                    let needed = on_path(c);
                    if !needed && (shown >= MAX_CHILDREN || cables >= MAX_LINES) {
                        // Cut here, by either cap, and said here with its count.
                        cut += 1;
                        capped |= cables >= MAX_LINES;
                        continue;
                    }
                    drawn.insert(c);
                    shown += usize::from(!needed);
                    cables += 1;
                    let child = branches.len();
                    branches.push(Branch {
                        node: Some(c),
                        more: None,
                        children: Vec::new(),
                    });
                    branches[b].children.push(child);
                    let below_child = match below {
                        Some(d) => Some(d + 1),
                        None if c == focus => Some(0),
                        None => None,
                    };
                    pushed.push((child, c, below_child));
                }
                // Children in time order, but path cables drawn where their date puts them.
                let mut children = std::mem::take(&mut branches[b].children);
                children.sort_by_key(|&i| branches_key(&branches, i, &key));
                branches[b].children = children;
                if cut > 0 {
                    let more = branches.len();
                    branches.push(Branch {
                        node: None,
                        more: Some(More::Citers(cut)),
                        children: Vec::new(),
                    });
                    branches[b].children.push(more);
                }
                stack.extend(pushed.into_iter().rev());
            }
        }

        let mut tree = ThreadTree::default();
        let mut rails = Vec::new();
        let count = top.len();
        for (i, &b) in top.iter().enumerate() {
            self.draw(
                &branches,
                b,
                0,
                i + 1 == count,
                &mut rails,
                focus,
                &mut tree,
            );
        }
        tree.capped = capped;
        tree
    }

    #[allow(clippy::too_many_arguments)]
    fn draw(
        &self,
        branches: &[Branch],
        at: usize,
        depth: usize,
        last: bool,
        rails: &mut Vec<bool>,
        focus: Node,
        tree: &mut ThreadTree,
    ) {
        let branch = &branches[at];
        let item = match (branch.node, branch.more) {
            (_, Some(more)) => TreeItem::More(more),
            (Some(node), None) => match self.entry_of(node) {
                Some(e) => TreeItem::Cable(e),
                None => TreeItem::Missing(self.missing_id(node).unwrap_or("?").into()),
            },
            (None, None) => return,
        };
        if branch.node == Some(focus) {
            tree.focus = tree.lines.len();
        }
        tree.lines.push(TreeLine {
            item,
            depth,
            last,
            rails: rails.clone(),
        });
        rails.push(!last);
        let count = branch.children.len();
        for (i, &child) in branch.children.iter().enumerate() {
            self.draw(
                branches,
                child,
                depth + 1,
                i + 1 == count,
                rails,
                focus,
                tree,
            );
        }
        rails.pop();
    }
}

/// Sort key of a branch among its siblings: cables by time, cut markers last.
fn branches_key(
    branches: &[Branch],
    at: usize,
    key: &dyn Fn(Node) -> (i64, u32),
) -> (bool, (i64, u32)) {
    match branches[at].node {
        Some(node) => (false, key(node)),
        None => (true, (i64::MAX, u32::MAX)),
    }
}
