"""One-time passwords: made by a teacher for a new or a locked-out student, said
aloud or handed out on paper, changed by the student at their first sign-in.

Why they get a hasher of their own. Django's default PBKDF2 takes about 0.3 s a
password, on purpose: it slows down guessing the passwords people choose, which are
guessable. A roster of 500 names would then take minutes in one request. A one-time
password is not chosen by a person: `one_time_password` draws it with `secrets`,
about 62 bits of it, so guessing it from a stolen hash means some 2**61 tries on
average, and even at 2,000 PBKDF2 iterations each that is thousands of GPU-years,
for a password that stops working at the student's first sign-in. So this hasher
spends 2,000 iterations (well under a millisecond) instead of a million.

It is listed after the default hashers in settings.PASSWORD_HASHERS: Django can
check it, never picks it for a password a person chooses, and re-hashes with the
default one at the first successful sign-in. (A wrong password is answered a little
faster for such an account than for others; an account with a one-time password is
short-lived, and telling it apart helps no guesser.)
"""

import math
import secrets

from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password

ONE_TIME_ALGORITHM = "pbkdf2_onetime"

# Letters that read aloud without spelling them out: no c/q/x/y/w, no l beside i.
CONSONANTS = "bdfghjkmnprstvz"
VOWELS = "aeiou"
GROUPS = 5  # "bako-difu-memo-rasi-tuvo": each group consonant, vowel, consonant, vowel

ENTROPY_BITS = GROUPS * 2 * math.log2(len(CONSONANTS) * len(VOWELS))  # about 62.3


class OneTimePasswordHasher(PBKDF2PasswordHasher):
    algorithm = ONE_TIME_ALGORITHM
    iterations = 2_000


def one_time_password():
    """A random password that reads aloud as five short syllable pairs."""
    return "-".join(
        "".join(secrets.choice(letters) for letters in (CONSONANTS, VOWELS, CONSONANTS, VOWELS))
        for _ in range(GROUPS)
    )


def one_time_hash(password):
    """The stored form of a one-time password (the hasher must be in PASSWORD_HASHERS)."""
    return make_password(password, hasher=ONE_TIME_ALGORITHM)
