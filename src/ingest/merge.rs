//! Readings into decisions. Each reading finds its decision by its keys (number, Légifrance id,
//! page name) among the decisions of this run and of the store; the decision's facts are then
//! reconciled from all its readings. A reading that cannot be matched safely is kept as a
//! decision of its own and reported as a conflict, naming both sources: nothing stored is
//! overwritten by it.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::index::store::Change;
use crate::record::decision::file_name;
use crate::record::{identity, reconcile, Decision, Reading, Record};
use crate::Result;

/// A reading kept apart because it could not be matched safely.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    /// The decision that holds the reading until a person resolves the conflict.
    pub decision: String,
    /// The reading's source, and the source (or decision) it conflicts with.
    pub sources: Vec<String>,
    pub reason: String,
}

/// What merging a batch of readings did.
#[derive(Debug, Default)]
pub struct Merged {
    pub put: Vec<Decision>,
    pub remove: Vec<String>,
    /// Readings new to the store, new versions of a stored source, and identical to one.
    pub new_readings: usize,
    pub updated_readings: usize,
    pub unchanged_readings: usize,
    pub conflicts: Vec<Conflict>,
}

/// A decision touched by the run.
struct Entry {
    readings: Vec<Reading>,
    stored: Option<Decision>,
    conflict: Option<String>,
}

/// The decisions of a run, found by key.
struct Run<'c, 's> {
    change: &'c Change<'s>,
    entries: BTreeMap<String, Entry>,
    keys: HashMap<String, String>,
    merged: Merged,
}

/// Merges `records` (each one source's reading) into the decisions of `change`.
pub fn merge(change: &Change<'_>, records: Vec<Record>, now: DateTime<Utc>) -> Result<Merged> {
    let mut run = Run { change, entries: BTreeMap::new(), keys: HashMap::new(), merged: Merged::default() };
    for record in records {
        run.add(Reading::of(record))?;
    }
    run.finish(now)
}

/// Removes the readings that the Légifrance ids `ids` name (DILA's deletion lists) from their
/// decisions; a decision left without readings is removed. Returns the change and how many
/// readings went.
pub fn remove_readings(change: &Change<'_>, ids: &[String], now: DateTime<Utc>) -> Result<(Merged, usize)> {
    let mut merged = Merged::default();
    let mut removed = 0;
    let mut done: Vec<String> = Vec::new();
    for id in ids {
        for decision_id in change.find(id)? {
            if done.contains(&decision_id) {
                continue;
            }
            let Some(decision) = change.load(&decision_id)? else { continue };
            let before = decision.readings.len();
            let gone = |r: &Reading| r.record.legifrance_id.as_deref().is_some_and(|l| ids.iter().any(|i| i == l)) || ids.contains(&r.record.id);
            let kept: Vec<Reading> = decision.readings.iter().filter(|r| !gone(r)).cloned().collect();
            removed += before - kept.len();
            done.push(decision_id.clone());
            if kept.is_empty() {
                merged.remove.push(decision_id);
            } else if kept.len() < before {
                let mut updated = reconcile(kept, Some(decision.added), now);
                if updated.id != decision.id {
                    merged.remove.push(decision.id.clone());
                }
                updated.conflict = decision.conflict.clone();
                merged.put.push(updated);
            }
        }
    }
    Ok((merged, removed))
}

impl Run<'_, '_> {
    fn add(&mut self, reading: Reading) -> Result<()> {
        let shown = reading.record.source.path.clone();
        if let Some(reason) = inner_conflict(&reading.record) {
            return self.keep_apart(reading, vec![shown.clone(), format!("{shown} (its header)")], reason);
        }
        let mut found: Vec<String> = Vec::new();
        for key in identity::keys(&reading.record) {
            let key = key.to_lowercase();
            let ids = match self.keys.get(&key) {
                Some(id) => vec![id.clone()],
                None => self.change.find(&key)?,
            };
            for id in ids {
                if !found.contains(&id) {
                    found.push(id);
                }
            }
        }
        let id = match found.as_slice() {
            [] => return self.insert_new(reading),
            [id] => id.clone(),
            several => {
                let reason = format!("its number and Légifrance id name different decisions ({})", several.join(", "));
                return self.keep_apart(reading, std::iter::once(shown).chain(several.iter().cloned()).collect(), reason);
            }
        };
        self.load(&id)?;
        let entry = self.entries.get_mut(&id).expect("loaded above");
        if let Some(reason) = mismatch(entry, &reading) {
            let other = entry
                .readings
                .iter()
                .find(|r| r.record.source.format == reading.record.source.format)
                .map_or_else(|| id.clone(), |r| r.record.source.path.clone());
            return self.keep_apart(reading, vec![shown, other], reason);
        }
        place(entry, reading, &mut self.merged);
        self.index_keys(&id);
        Ok(())
    }

    /// Brings a stored decision into the run.
    fn load(&mut self, id: &str) -> Result<()> {
        if self.entries.contains_key(id) {
            return Ok(());
        }
        let stored = self.change.load(id)?;
        let readings = stored.as_ref().map(|d| d.readings.clone()).unwrap_or_default();
        let conflict = stored.as_ref().and_then(|d| d.conflict.clone());
        self.entries.insert(id.to_string(), Entry { readings, stored, conflict });
        Ok(())
    }

    fn insert_new(&mut self, reading: Reading) -> Result<()> {
        let id = reconcile(vec![reading.clone()], None, Utc::now()).id;
        self.load(&id)?;
        let entry = self.entries.get_mut(&id).expect("loaded above");
        entry.readings.push(reading);
        self.merged.new_readings += 1;
        self.index_keys(&id);
        Ok(())
    }

    /// Keeps `reading` as a decision of its own, named after its source, and reports why.
    fn keep_apart(&mut self, reading: Reading, sources: Vec<String>, reason: String) -> Result<()> {
        let base = reconcile(vec![reading.clone()], None, Utc::now()).id;
        let name = identity::slug(file_name(&reading.record.source.path));
        let id = format!("{base}-conflict-{name}");
        self.load(&id)?;
        let entry = self.entries.get_mut(&id).expect("loaded above");
        place(entry, reading, &mut self.merged);
        entry.conflict = Some(reason.clone());
        self.merged.conflicts.push(Conflict { decision: id, sources, reason });
        Ok(())
    }

    fn index_keys(&mut self, id: &str) {
        let Some(entry) = self.entries.get(id) else { return };
        for reading in &entry.readings {
            for key in identity::keys(&reading.record) {
                self.keys.insert(key.to_lowercase(), id.to_string());
            }
        }
        self.keys.insert(id.to_lowercase(), id.to_string());
    }

    fn finish(mut self, now: DateTime<Utc>) -> Result<Merged> {
        for (id, entry) in std::mem::take(&mut self.entries) {
            let added = entry.stored.as_ref().map(|d| d.added);
            let mut decision = reconcile(entry.readings, added, now);
            if let Some(reason) = entry.conflict {
                // Held apart: only its own id reaches it, so that its number finds the decision
                // it conflicts with.
                decision.id = id.clone();
                decision.aliases.clear();
                decision.conflict = Some(reason);
            }
            if let Some(stored) = &entry.stored {
                if stored.id != decision.id {
                    decision.aliases.push(stored.id.clone());
                    self.merged.remove.push(stored.id.clone());
                }
                let mut same = decision.clone();
                same.modified = stored.modified;
                if &same == stored {
                    continue;
                }
            }
            self.merged.put.push(decision);
        }
        Ok(self.merged)
    }
}

/// Puts `reading` among the readings of `entry`: it replaces an earlier version of its source,
/// unless it is the same reading (same bytes, read by the same rules: a new version of the
/// extractor re-reads the same bytes into another record, which replaces it).
fn place(entry: &mut Entry, reading: Reading, merged: &mut Merged) {
    match entry.readings.iter().position(|r| r.same_source(&reading)) {
        Some(i) if same_reading(&entry.readings[i].record, &reading.record) => merged.unchanged_readings += 1,
        Some(i) => {
            entry.readings[i] = reading;
            merged.updated_readings += 1;
        }
        None => {
            entry.readings.push(reading);
            merged.new_readings += 1;
        }
    }
}

/// The same bytes read by the same rules, wherever they were found (a DILA text as a file and
/// as an archive member).
fn same_reading(a: &Record, b: &Record) -> bool {
    a.source.sha256 == b.source.sha256 && Record { source: b.source.clone(), ..a.clone() } == *b
}

/// A reading whose own sources disagree on the decision's number (a page filed under one
/// number whose text states another).
fn inner_conflict(r: &Record) -> Option<String> {
    r.disagreements.iter().find(|d| d.field == "number").map(|d| {
        format!("filed under {} but its text states {}", d.claimed_value, d.text_value)
    })
}

/// Why `reading` cannot join `entry`: another number, another Légifrance id, or a second
/// source of a format the decision already has from another file.
fn mismatch(entry: &Entry, reading: &Reading) -> Option<String> {
    let r = &reading.record;
    for other in &entry.readings {
        let o = &other.record;
        if let (Some(a), Some(b)) = (&o.facts.number, &r.facts.number) {
            if a != b {
                return Some(format!("its number {b} differs from {a}, with which it shares a Légifrance id"));
            }
        }
        if let (Some(a), Some(b)) = (&o.legifrance_id, &r.legifrance_id) {
            if a != b {
                return Some(format!("its Légifrance id {b} differs from {a}, with which it shares a number"));
            }
        }
        if o.source.format == r.source.format && !other.same_source(reading) {
            return Some(format!("a second {:?} source of the same decision", r.source.format).to_lowercase());
        }
    }
    None
}
