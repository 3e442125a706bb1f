/* Internals shared by the files of engine/privacy/ (not for use outside the
 * folder): best-effort erasure of secrets. */
#ifndef ENG_PRIV_PRIV_INT_H
#define ENG_PRIV_PRIV_INT_H

#include <gmp.h>
#include <stddef.h>

/* Overwrites n bytes with zeros through a volatile pointer (not optimised
 * away). Copies GMP made while growing a number are beyond reach. */
void eng_priv__wipe(void *p, size_t n);
/* Zeroes the limbs of x, then clears it. */
void eng_priv__mpz_clear_wipe(mpz_t x);

#endif
