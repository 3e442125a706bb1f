/* Conventions shared by the privacy primitives of engine/privacy/: the error
 * codes every function returns. The primitives protect what an edge gateway
 * or a device ships towards the cloud: Paillier ciphertexts (paillier.h),
 * pairwise-masked vectors for secure aggregation (mask.h), differentially
 * private releases (dp.h), and federated-averaging model updates that travel
 * through any of these (fedavg.h). All randomness comes from the ChaCha20
 * generator of rng.h. Pure computation: no runtime, no clock, no I/O except
 * reading /dev/urandom when asked to. docs/privacy.md describes them all. */
#ifndef ENG_PRIV_PRIV_H
#define ENG_PRIV_PRIV_H

enum eng_priv_err {
    ENG_PRIV_OK = 0,
    ENG_PRIV_ENOMEM = -1,     /* out of memory (GMP itself aborts on exhaustion) */
    ENG_PRIV_EINVAL = -2,     /* bad argument: not finite, out of range, wrong size */
    ENG_PRIV_EOVERFLOW = -3,  /* a value does not fit its fixed-point encoding with the asked headroom */
    ENG_PRIV_ETRUNC = -4,     /* input ends inside a field */
    ENG_PRIV_EVERSION = -5,   /* unknown format version byte */
    ENG_PRIV_ETYPE = -6,      /* object kind byte is not the expected one */
    ENG_PRIV_EMALFORMED = -7, /* a field outside its domain or not in canonical form */
    ENG_PRIV_ETRAILING = -8,  /* bytes left after the object */
    ENG_PRIV_EKEY = -9,       /* a ciphertext made under another key, or an inconsistent key */
    ENG_PRIV_EEMPTY = -10,    /* the precomputed randomness pool is used up */
    ENG_PRIV_EIO = -11,       /* the operating system's randomness could not be read */
    ENG_PRIV_EBUDGET = -12,   /* the release would exceed the privacy budget */
    ENG_PRIV_ESTATE = -13,    /* protocol step out of order (duplicate, late or missing message) */
};

/* A static description of a code ("truncated input", ...). */
const char *eng_priv_strerror(int code);

#endif
