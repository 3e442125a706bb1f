/* Fixed-point encoding of signed integers and reals as Paillier plaintexts
 * (residues mod n), with the headroom check that keeps a homomorphic sum of
 * `terms` encodings from wrapping around n. Model weights and sensor values
 * are encoded here before encryption and decoded after the aggregate is
 * decrypted. paillier.h documents the mapping. */
#include <math.h>

#include "engine/privacy/paillier_int.h"

void eng_priv_pai_max_abs(const eng_priv_pai_pk *pk, mpz_t out) { mpz_set(out, pk->half); }

int eng_priv_pai_encode_z(const eng_priv_pai_pk *pk, mpz_srcptr v, uint32_t terms, mpz_t m) {
    if (terms == 0) return ENG_PRIV_EINVAL;
    mpz_t t;
    mpz_init(t);
    mpz_abs(t, v);
    mpz_mul_ui(t, t, terms);
    int fits = mpz_cmp(t, pk->half) <= 0;
    mpz_clear(t);
    if (!fits) return ENG_PRIV_EOVERFLOW;
    mpz_mod(m, v, pk->n);
    return ENG_PRIV_OK;
}

void eng_priv_pai_decode_z(const eng_priv_pai_pk *pk, mpz_srcptr m, mpz_t v) {
    mpz_mod(v, m, pk->n);
    if (mpz_cmp(v, pk->half) > 0) mpz_sub(v, v, pk->n);
}

int eng_priv_pai_encode(const eng_priv_pai_pk *pk, double x, double scale, uint32_t terms, mpz_t m) {
    double y = x * scale;
    if (!isfinite(x) || !isfinite(scale) || scale <= 0 || !isfinite(y) || terms == 0) return ENG_PRIV_EINVAL;
    mpz_t v;
    mpz_init_set_d(v, round(y));
    int rc = eng_priv_pai_encode_z(pk, v, terms, m);
    mpz_clear(v);
    return rc;
}

double eng_priv_pai_decode(const eng_priv_pai_pk *pk, mpz_srcptr m, double scale) {
    mpz_t v;
    mpz_init(v);
    eng_priv_pai_decode_z(pk, m, v);
    double x = mpz_get_d(v) / scale;
    mpz_clear(v);
    return x;
}
