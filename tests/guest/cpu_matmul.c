/* CPU-heavy arithmetic: integer matrix multiply (64-bit wrapping and 32-bit), a double
 * matrix multiply and LU-style elimination whose results are printed exactly (%a) so
 * any FP rounding difference shows, and a float dot product that exercises fused
 * multiply-add contraction. */
#include <stdint.h>
#include <stdio.h>

#define N 64

int main(void) {
    static int64_t a[N][N], b[N][N], c[N][N];
    static int32_t a32[N][N], c32[N][N];
    static double da[N][N], db[N][N], dc[N][N];
    uint64_t s = 12345;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            s = s * 6364136223846793005ull + 1442695040888963407ull;
            a[i][j] = (int64_t)(s >> 11) - (1ll << 52);
            b[i][j] = (int64_t)(s >> 40) - 4000000;
            a32[i][j] = (int32_t)(s >> 33);
            da[i][j] = (double)(int64_t)(s >> 20) / 1e9 - 4000.0;
            db[i][j] = 1.0 / (1.0 + i + 2.0 * j);
        }
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            int64_t acc = 0;
            int32_t acc32 = 0;
            double dacc = 0;
            for (int k = 0; k < N; k++) {
                acc += a[i][k] * b[k][j];
                acc32 += a32[i][k] * (int32_t)b[k][j];
                dacc += da[i][k] * db[k][j];
            }
            c[i][j] = acc;
            c32[i][j] = acc32;
            dc[i][j] = dacc;
        }
    uint64_t h = 0, h32 = 0;
    double trace = 0, sum = 0;
    for (int i = 0; i < N; i++) {
        trace += dc[i][i];
        for (int j = 0; j < N; j++) {
            h = h * 31 + (uint64_t)c[i][j];
            h32 = h32 * 31 + (uint32_t)c32[i][j];
            sum += dc[i][j];
        }
    }
    printf("int64 matmul hash %016lx\n", h);
    printf("int32 matmul hash %016lx\n", h32);
    printf("double matmul trace %a sum %a c[3][5] %.17g\n", trace, sum, dc[3][5]);
    /* Gaussian elimination with partial pivoting on the product. */
    double pivots = 0;
    for (int col = 0; col < N; col++) {
        int piv = col;
        for (int r = col + 1; r < N; r++)
            if ((dc[r][col] < 0 ? -dc[r][col] : dc[r][col]) > (dc[piv][col] < 0 ? -dc[piv][col] : dc[piv][col]))
                piv = r;
        if (piv != col)
            for (int k = 0; k < N; k++) {
                double t = dc[col][k];
                dc[col][k] = dc[piv][k];
                dc[piv][k] = t;
            }
        pivots += dc[col][col] < 0 ? -dc[col][col] : dc[col][col];
        for (int r = col + 1; r < N; r++) {
            double f = dc[r][col] / dc[col][col];
            for (int k = col; k < N; k++) dc[r][k] -= f * dc[col][k];
        }
    }
    printf("elimination sum of |pivots| %a\n", pivots);
    float fa[1000], fb[1000];
    for (int i = 0; i < 1000; i++) {
        fa[i] = (float)i / 7.0f;
        fb[i] = 1.0f / (float)(i + 1);
    }
    float dot = 0;
    for (int i = 0; i < 1000; i++) dot = __builtin_fmaf(fa[i], fb[i], dot);
    float plain = 0;
    for (int i = 0; i < 1000; i++) plain += fa[i] * fb[i];
    printf("float dot fma %a plain %a\n", (double)dot, (double)plain);
    return 0;
}
