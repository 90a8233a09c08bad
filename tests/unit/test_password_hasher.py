"""The shipped password hasher keeps RFC 9106's parameters, although the tests hash more cheaply.

tests/conftest.py swaps in a cheap argon2id hasher for speed (thousands of hashes per run); this
test holds the one the program ships to argon2-cffi's RFC 9106 low-memory profile, so the swap can
never hide a weaker production setting.
"""

from __future__ import annotations

from argon2 import PasswordHasher, Type, extract_parameters, profiles

from wso.users import service, signin


def test_the_shipped_hasher_uses_rfc_9106_low_memory_argon2id(cheap_password_hashing: PasswordHasher) -> None:
    shipped = cheap_password_hashing
    wanted = profiles.RFC_9106_LOW_MEMORY
    assert shipped.type is Type.ID
    assert (shipped.time_cost, shipped.memory_cost, shipped.parallelism) == (
        wanted.time_cost,
        wanted.memory_cost,
        wanted.parallelism,
    )
    assert (shipped.salt_len, shipped.hash_len) == (wanted.salt_len, wanted.hash_len)
    # Hashes it makes carry those parameters (the stored hash says how it was made).
    assert extract_parameters(shipped.hash("a passphrase of test")) == wanted


def test_the_tests_hash_with_the_same_algorithm_more_cheaply(cheap_password_hashing: PasswordHasher) -> None:
    assert service.hasher is not cheap_password_hashing and signin.hasher is service.hasher
    made = extract_parameters(service.hasher.hash("a passphrase of test"))
    assert made.type is Type.ID and made.salt_len == 16 and made.hash_len == 32
