//! An opened text index: answers full-text terms with the corpus entries that match.

use std::path::Path;
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::{
    BooleanQuery, MoreLikeThisQuery, Occur, PhraseQuery, Query as TantivyQuery, RegexQuery,
    TermQuery,
};
use tantivy::schema::{
    FAST, Field, IndexRecordOption, OwnedValue, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{DocId, Index, IndexReader, ReloadPolicy, Score, SegmentReader, Term};

use super::bodies::{self, CableText};
use super::cache::{CorpusStamp, IndexMiss, Meta, Storage};
use super::hits::Hits;
use super::words::{self, WORD_TOKENIZER};
use crate::corpus::Corpus;
use crate::corpus::query::{FullTextKind, Query, TextScope};

/// The schema's field names.
const SUBJECT: &str = "subject";
const BODY: &str = "body";
const ENTRY: &str = "entry";

/// The subject and body fields, and the entry's position in the corpus.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    pub subject: Field,
    pub body: Field,
    pub entry: Field,
}

/// Words with positions (for phrases), no text stored; the entry as a fast field (read per
/// hit to map documents to corpus positions).
pub(crate) fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(WORD_TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let subject = b.add_text_field(SUBJECT, text.clone());
    let body = b.add_text_field(BODY, text);
    let entry = b.add_u64_field(ENTRY, FAST);
    (
        b.build(),
        Fields {
            subject,
            body,
            entry,
        },
    )
}

pub(crate) fn register_tokenizer(index: &Index) {
    index
        .tokenizers()
        .register(WORD_TOKENIZER, words::analyzer());
}

/// A text index ready to answer queries. `Send + Sync`: share it in an `Arc`.
pub struct TextIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    /// How many entries the corpus it was built for has.
    entries: usize,
    storage: Storage,
}

impl std::fmt::Debug for TextIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TextIndex")
            .field("entries", &self.entries)
            .field("storage", &self.storage)
            .finish()
    }
}

impl TextIndex {
    pub(crate) fn from_index(
        index: Index,
        entries: usize,
        storage: Storage,
    ) -> tantivy::Result<TextIndex> {
        register_tokenizer(&index);
        let (_, fields) = schema();
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(TextIndex {
            index,
            reader,
            fields,
            entries,
            storage,
        })
    }

    /// Opens the index kept in `dir` for the corpus with this stamp, or says why it cannot be
    /// used. Never trusts what it finds: see [`super::cache`].
    pub fn open(dir: &Path, stamp: CorpusStamp, corpus: &Corpus) -> Result<TextIndex, IndexMiss> {
        if let Some(parent) = dir.parent() {
            if parent.exists() {
                crate::corpus::private::check_dir(parent)
                    .map_err(|e| IndexMiss::Untrusted(e.to_string()))?;
            }
        }
        let meta = Meta::check(dir, stamp)?;
        if meta.documents != corpus.len() as u64 {
            return Err(IndexMiss::Stale);
        }
        let damaged = |e: tantivy::TantivyError| IndexMiss::Damaged(e.to_string());
        let index = Index::open_in_dir(dir).map_err(damaged)?;
        let (expected, _) = schema();
        if index.schema() != expected {
            return Err(IndexMiss::Damaged("another schema".into()));
        }
        let opened = TextIndex::from_index(index, corpus.len(), Storage::Disk(dir.to_path_buf()))
            .map_err(damaged)?;
        let docs = opened.reader.searcher().num_docs();
        if docs != meta.documents {
            return Err(IndexMiss::Damaged(format!(
                "{docs} documents, not {}",
                meta.documents
            )));
        }
        Ok(opened)
    }

    /// Where it lives.
    pub fn storage(&self) -> &Storage {
        &self.storage
    }

    /// How many documents it holds (one per cable).
    pub fn documents(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Attaches hits to every full-text term of `query` (with BM25 scores when `scores`, for
    /// relevance order); afterwards [`Query::waits_for_text`] is false and filtering the
    /// query applies them. `like:ID` with an id not in the corpus is an error naming it.
    pub fn resolve(&self, query: &mut Query, corpus: &Corpus, scores: bool) -> Result<(), String> {
        for term in query.full_text_terms_mut() {
            let hits = self.search(term.scope, &term.kind, corpus, scores)?;
            term.hits = Some(Arc::new(hits));
        }
        Ok(())
    }

    /// The entries matching one full-text test.
    pub fn search(
        &self,
        scope: TextScope,
        kind: &FullTextKind,
        corpus: &Corpus,
        scores: bool,
    ) -> Result<Hits, String> {
        if let FullTextKind::Like(id) = kind {
            let entry = find_id(corpus, id)?;
            let like = self.like(corpus, entry, LIKE_HITS)?;
            let matched = like.iter().map(|&(i, _)| i).collect::<Vec<_>>();
            return Ok(Hits::new(self.entries, matched, like));
        }
        let query = self.query_for(scope, kind);
        let found = self.collect(&*query, scores)?;
        let scored = if scores { found.clone() } else { Vec::new() };
        Ok(Hits::new(
            self.entries,
            found.into_iter().map(|(i, _)| i),
            scored,
        ))
    }

    /// The `limit` cables whose words are most like `entry`'s (tantivy's MoreLikeThis over
    /// subject and body), best first, without `entry` itself. Reads its text from its source.
    pub fn like(
        &self,
        corpus: &Corpus,
        entry: u32,
        limit: usize,
    ) -> Result<Vec<(u32, f32)>, String> {
        let text = bodies::read_text(corpus, entry)?;
        self.like_text(&text, Some(entry), limit)
    }

    /// [`TextIndex::like`] for a text already read.
    pub fn like_text(
        &self,
        text: &CableText,
        exclude: Option<u32>,
        limit: usize,
    ) -> Result<Vec<(u32, f32)>, String> {
        let query = MoreLikeThisQuery::builder()
            .with_min_doc_frequency(2)
            .with_max_doc_frequency((self.entries as u64 / 4).max(2))
            .with_min_term_frequency(1)
            .with_min_word_length(3)
            .with_max_query_terms(25)
            .with_document_fields(vec![
                (
                    self.fields.subject,
                    vec![OwnedValue::Str(text.subject.clone())],
                ),
                (self.fields.body, vec![OwnedValue::Str(text.body.clone())]),
            ]);
        let mut found = self.collect(&query, true)?;
        found.retain(|&(i, _)| Some(i) != exclude);
        found.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        found.truncate(limit);
        Ok(found)
    }

    fn query_for(&self, scope: TextScope, kind: &FullTextKind) -> Box<dyn TantivyQuery> {
        let fields: &[Field] = match scope {
            TextScope::SubjectOrBody => &[self.fields.subject, self.fields.body],
            TextScope::Body => &[self.fields.body],
        };
        let per_field = |field: Field| -> Box<dyn TantivyQuery> {
            match kind {
                FullTextKind::Words(w) if w.len() == 1 => Box::new(TermQuery::new(
                    Term::from_field_text(field, &w[0]),
                    IndexRecordOption::WithFreqs,
                )),
                FullTextKind::Words(w) => Box::new(PhraseQuery::new(
                    w.iter().map(|w| Term::from_field_text(field, w)).collect(),
                )),
                FullTextKind::Prefix(p) => {
                    let pattern = format!("{}.*", regex_escape(p));
                    match RegexQuery::from_pattern(&pattern, field) {
                        Ok(q) => Box::new(q),
                        Err(_) => Box::new(BooleanQuery::new(Vec::new())),
                    }
                }
                // Answered in `search`.
                FullTextKind::Like(_) => Box::new(BooleanQuery::new(Vec::new())),
            }
        };
        if let [field] = fields {
            return per_field(*field);
        }
        Box::new(BooleanQuery::new(
            fields
                .iter()
                .map(|&f| (Occur::Should, per_field(f)))
                .collect(),
        ))
    }

    /// Every (entry, score) matching `query`; scores are 0 unless `scores`.
    fn collect(&self, query: &dyn TantivyQuery, scores: bool) -> Result<Vec<(u32, f32)>, String> {
        let searcher = self.reader.searcher();
        // A damaged index must not take the app down: tantivy reports most damage as errors,
        // and whatever it does not is caught here.
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            searcher.search(query, &EntryCollector { scores })
        }));
        match run {
            Ok(Ok(found)) => Ok(found),
            Ok(Err(e)) => Err(format!("text index: {e}")),
            Err(_) => Err("text index: damaged (the search failed); it will be built again".into()),
        }
    }

    /// How many segments it has (one after a build: queries read one term dictionary).
    pub fn segments(&self) -> usize {
        self.index.searchable_segment_ids().map_or(0, |s| s.len())
    }
}

/// How many cables `like:ID` lists.
pub const LIKE_HITS: usize = 100;

fn find_id(corpus: &Corpus, id: &str) -> Result<u32, String> {
    corpus
        .find_id(id)
        .or_else(|| corpus.find_id(&id.to_ascii_uppercase()))
        // `05PARIS08442` names `05PARIS8442`, as ids are written everywhere else.
        .or_else(|| corpus.find_id(&crate::cable::reference_id::canonicalize_id(id)))
        .ok_or_else(|| format!("like:{id}: no cable with this id in the corpus"))
}

/// Words are letters and digits only, but a prefix goes into a regular expression: escape it.
fn regex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if !c.is_alphanumeric() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Collects the entry position (fast field) and score of every hit.
struct EntryCollector {
    scores: bool,
}

struct EntrySegment {
    column: tantivy::columnar::Column<u64>,
    found: Vec<(u32, f32)>,
}

impl Collector for EntryCollector {
    type Fruit = Vec<(u32, f32)>;
    type Child = EntrySegment;

    fn for_segment(&self, _: u32, segment: &SegmentReader) -> tantivy::Result<EntrySegment> {
        Ok(EntrySegment {
            column: segment.fast_fields().u64(ENTRY)?,
            found: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.scores
    }

    fn merge_fruits(&self, fruits: Vec<Vec<(u32, f32)>>) -> tantivy::Result<Vec<(u32, f32)>> {
        Ok(fruits.concat())
    }
}

impl SegmentCollector for EntrySegment {
    type Fruit = Vec<(u32, f32)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        if let Some(entry) = self.column.first(doc) {
            if let Ok(entry) = u32::try_from(entry) {
                self.found.push((entry, score));
            }
        }
    }

    fn harvest(self) -> Vec<(u32, f32)> {
        self.found
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_text_index_can_be_shared_between_threads() {
        fn shareable<T: Send + Sync>() {}
        shareable::<super::TextIndex>();
        shareable::<super::Hits>();
    }
}
