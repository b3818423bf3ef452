// SPDX-License-Identifier: AGPL-3.0-or-later

package ratelimit

import (
	"container/list"
	"iter"
)

// lru is a map from key to state that remembers the order in which keys were
// last touched, so that the limiters can bound their memory by evicting the
// least recently active keys first. It is not safe for concurrent use; its
// owner's mutex guards it.
type lru[V any] struct {
	items map[string]*list.Element // values are *lruItem[V]
	order list.List                // front is the most recently touched
}

type lruItem[V any] struct {
	key string
	val V
}

func newLRU[V any]() *lru[V] {
	return &lru[V]{items: make(map[string]*list.Element)}
}

func (l *lru[V]) len() int { return len(l.items) }

// get returns the state for key, or nil, without changing the order.
func (l *lru[V]) get(key string) *V {
	el, ok := l.items[key]
	if !ok {
		return nil
	}
	return &el.Value.(*lruItem[V]).val
}

// touch marks key as the most recently active; a missing key is ignored.
func (l *lru[V]) touch(key string) {
	if el, ok := l.items[key]; ok {
		l.order.MoveToFront(el)
	}
}

// add stores v for a key that is not present, as the most recently active,
// and returns a pointer to the stored state.
func (l *lru[V]) add(key string, v V) *V {
	it := &lruItem[V]{key: key, val: v}
	l.items[key] = l.order.PushFront(it)
	return &it.val
}

func (l *lru[V]) remove(key string) {
	if el, ok := l.items[key]; ok {
		l.order.Remove(el)
		delete(l.items, key)
	}
}

// removeOldest removes the least recently touched key, if any.
func (l *lru[V]) removeOldest() {
	if el := l.order.Back(); el != nil {
		l.order.Remove(el)
		delete(l.items, el.Value.(*lruItem[V]).key)
	}
}

// oldestFirst yields keys and their state from least to most recently
// touched. The caller must not add or remove keys while iterating.
func (l *lru[V]) oldestFirst() iter.Seq2[string, *V] {
	return func(yield func(string, *V) bool) {
		for el := l.order.Back(); el != nil; el = el.Prev() {
			it := el.Value.(*lruItem[V])
			if !yield(it.key, &it.val) {
				return
			}
		}
	}
}
