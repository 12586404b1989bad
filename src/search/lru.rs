//! A map bounded by the total weight of its values: past the budget, the least recently used
//! entries go. Shared between threads; values should be cheap to clone.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;

pub struct Lru<K, V> {
    inner: Mutex<Inner<K, V>>,
    budget: usize,
}

struct Inner<K, V> {
    entries: HashMap<K, Entry<V>>,
    weight: usize,
    clock: u64,
}

struct Entry<V> {
    value: V,
    weight: usize,
    used: u64,
}

impl<K: Hash + Eq + Clone, V: Clone> Lru<K, V> {
    pub fn new(budget: usize) -> Lru<K, V> {
        Lru { inner: Mutex::new(Inner { entries: HashMap::new(), weight: 0, clock: 0 }), budget }
    }

    /// The weight held now.
    pub fn weight(&self) -> usize {
        self.inner.lock().map_or(0, |i| i.weight)
    }

    pub fn get(&self, key: &K) -> Option<V> {
        let mut inner = self.inner.lock().ok()?;
        inner.clock += 1;
        let now = inner.clock;
        let entry = inner.entries.get_mut(key)?;
        entry.used = now;
        Some(entry.value.clone())
    }

    /// Keeps `value` unless it alone weighs more than a quarter of the budget (it would push out
    /// too much). Past the budget, the least recently used entries go until a quarter of it is
    /// free: one pass over the entries now and then, not one per insertion.
    pub fn put(&self, key: K, value: V, weight: usize) {
        if weight > self.budget / 4 {
            return;
        }
        let Ok(mut inner) = self.inner.lock() else { return };
        if let Some(old) = inner.entries.remove(&key) {
            inner.weight -= old.weight;
        }
        if inner.weight + weight > self.budget {
            let mut by_age: Vec<(u64, usize)> = inner.entries.values().map(|e| (e.used, e.weight)).collect();
            by_age.sort_unstable();
            let target = (self.budget * 3 / 4).saturating_sub(weight);
            let mut kept = inner.weight;
            // Stamps are unique: every entry used at or before `cut` goes.
            let mut cut = 0;
            for (used, w) in by_age {
                if kept <= target {
                    break;
                }
                kept -= w;
                cut = used;
            }
            inner.entries.retain(|_, e| e.used > cut);
            inner.weight = kept;
        }
        inner.clock += 1;
        let used = inner.clock;
        inner.weight += weight;
        inner.entries.insert(key, Entry { value, weight, used });
    }

    pub fn clear(&self) {
        if let Ok(mut inner) = self.inner.lock() {
            inner.entries.clear();
            inner.weight = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn past_the_budget_the_least_recently_used_entries_go() {
        let lru: Lru<&str, u32> = Lru::new(16);
        for (i, k) in ["a", "b", "c", "d"].into_iter().enumerate() {
            lru.put(k, i as u32, 4);
        }
        assert_eq!(lru.get(&"a"), Some(0));
        assert_eq!(lru.weight(), 16);
        // Past the budget the oldest go, `b` and `c` (`a` was just read), until a quarter is free.
        lru.put("e", 4, 4);
        assert_eq!((lru.get(&"b"), lru.get(&"c")), (None, None));
        assert!(["a", "d", "e"].iter().all(|k| lru.get(k).is_some()));
        assert_eq!(lru.weight(), 12);
        // Beyond a quarter of the budget: not kept, and nothing is pushed out.
        lru.put("big", 5, 5);
        assert_eq!(lru.get(&"big"), None);
        assert_eq!(lru.weight(), 12);
        // Putting a key again replaces it and its weight.
        lru.put("a", 9, 2);
        assert_eq!((lru.get(&"a"), lru.weight()), (Some(9), 10));
        lru.clear();
        assert_eq!((lru.get(&"c"), lru.weight()), (None, 0));
    }
}
