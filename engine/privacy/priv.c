/* Descriptions of the error codes shared by engine/privacy/, and the
 * erasure of secrets every file of the folder uses (priv_int.h). */
#include <stdint.h>

#include "engine/privacy/priv.h"
#include "engine/privacy/priv_int.h"

const char *eng_priv_strerror(int code) {
    switch (code) {
    case ENG_PRIV_OK:
        return "success";
    case ENG_PRIV_ENOMEM:
        return "out of memory";
    case ENG_PRIV_EINVAL:
        return "invalid argument";
    case ENG_PRIV_EOVERFLOW:
        return "value does not fit the fixed-point encoding";
    case ENG_PRIV_ETRUNC:
        return "truncated input";
    case ENG_PRIV_EVERSION:
        return "unknown format version";
    case ENG_PRIV_ETYPE:
        return "unexpected object kind";
    case ENG_PRIV_EMALFORMED:
        return "malformed input";
    case ENG_PRIV_ETRAILING:
        return "trailing bytes after the object";
    case ENG_PRIV_EKEY:
        return "key mismatch or inconsistent key";
    case ENG_PRIV_EEMPTY:
        return "precomputed randomness used up";
    case ENG_PRIV_EIO:
        return "cannot read the system's randomness";
    case ENG_PRIV_EBUDGET:
        return "privacy budget exceeded";
    case ENG_PRIV_ESTATE:
        return "protocol step out of order";
    default:
        return "unknown error";
    }
}

void eng_priv__wipe(void *p, size_t n) {
    volatile uint8_t *b = p;
    for (size_t i = 0; i < n; i++) b[i] = 0;
}

void eng_priv__mpz_clear_wipe(mpz_t x) {
    size_t n = mpz_size(x);
    if (n) eng_priv__wipe(mpz_limbs_modify(x, (mp_size_t)n), n * sizeof(mp_limb_t));
    mpz_clear(x);
}
