-- Floating point through Lua: string.format of floats, math library, and three small
-- numeric kernels (n-body, spectral norm, mandelbrot) whose results are printed with
-- full precision so any rounding difference shows.
print(string.format("%.17g %.17g %.17g", 0.1, 1 / 3, 2 / 3))
print(string.format("%g %g %g %g %g", 1e300 * 1e10, -1e300 * 1e10, 0 / 0 ~= 0 / 0 and 1 or 0, 1e-320, 123456789012))
print(string.format("%a %a %e %.3e %10.4f %-10.2f|", 1.0, 0.1, 12345.678, 0.000123456, math.pi, -math.pi))
print(math.floor(-3.5), math.ceil(-3.5), math.floor(3.7), math.fmod(-7, 3), math.fmod(7, -3))
print(math.abs(math.mininteger), math.max(3, 7.5, -1), math.min(3, 7.5, -1), math.ult(1, -1))
print(string.format("%.15g %.15g %.15g %.15g", math.sin(1), math.cos(1), math.tan(1), math.atan(1, 2)))
print(string.format("%.15g %.15g %.15g %.15g", math.exp(1), math.log(10), math.log(8, 2), math.sqrt(2)))
print(math.huge, -math.huge, math.pi, 2^0.5, 10 // 0.0, -10 % math.huge)
print(tostring(0/0):gsub("-", ""), 3 % -2, -3 % 2, 5.5 % 2, 2^63 == math.maxinteger + 1.0)
print(tonumber("  0x1p4  "), tonumber("1e2"), tonumber("10", 2), tonumber("zz", 36), tonumber("8", 8))

-- N-body (from the Computer Language Benchmarks Game), a few thousand steps.
local sqrt = math.sqrt
local PI = math.pi
local SOLAR_MASS = 4 * PI * PI
local DAYS_PER_YEAR = 365.24
local bodies = {
  {x = 0, y = 0, z = 0, vx = 0, vy = 0, vz = 0, mass = SOLAR_MASS},
  {x = 4.84143144246472090e+00, y = -1.16032004402742839e+00, z = -1.03622044471123109e-01,
   vx = 1.66007664274403694e-03 * DAYS_PER_YEAR, vy = 7.69901118419740425e-03 * DAYS_PER_YEAR,
   vz = -6.90460016972063023e-05 * DAYS_PER_YEAR, mass = 9.54791938424326609e-04 * SOLAR_MASS},
  {x = 8.34336671824457987e+00, y = 4.12479856412430479e+00, z = -4.03523417114321381e-01,
   vx = -2.76742510726862411e-03 * DAYS_PER_YEAR, vy = 4.99852801234917238e-03 * DAYS_PER_YEAR,
   vz = 2.30417297573763929e-05 * DAYS_PER_YEAR, mass = 2.85885980666130812e-04 * SOLAR_MASS},
  {x = 1.28943695621391310e+01, y = -1.51111514016986312e+01, z = -2.23307578892655734e-01,
   vx = 2.96460137564761618e-03 * DAYS_PER_YEAR, vy = 2.37847173959480950e-03 * DAYS_PER_YEAR,
   vz = -2.96589568540237556e-05 * DAYS_PER_YEAR, mass = 4.36624404335156298e-05 * SOLAR_MASS},
  {x = 1.53796971148509165e+01, y = -2.59193146099879641e+01, z = 1.79258772950371181e-01,
   vx = 2.68067772490389322e-03 * DAYS_PER_YEAR, vy = 1.62824170038242295e-03 * DAYS_PER_YEAR,
   vz = -9.51592254519715870e-05 * DAYS_PER_YEAR, mass = 5.15138902046611451e-05 * SOLAR_MASS},
}
local function advance(nb, dt)
  for i = 1, #nb do
    local bi = nb[i]
    for j = i + 1, #nb do
      local bj = nb[j]
      local dx, dy, dz = bi.x - bj.x, bi.y - bj.y, bi.z - bj.z
      local d2 = dx * dx + dy * dy + dz * dz
      local mag = dt / (d2 * sqrt(d2))
      local bm, bjm = bi.mass * mag, bj.mass * mag
      bi.vx, bi.vy, bi.vz = bi.vx - dx * bjm, bi.vy - dy * bjm, bi.vz - dz * bjm
      bj.vx, bj.vy, bj.vz = bj.vx + dx * bm, bj.vy + dy * bm, bj.vz + dz * bm
    end
  end
  for i = 1, #nb do
    local b = nb[i]
    b.x, b.y, b.z = b.x + dt * b.vx, b.y + dt * b.vy, b.z + dt * b.vz
  end
end
local function energy(nb)
  local e = 0
  for i = 1, #nb do
    local b = nb[i]
    e = e + 0.5 * b.mass * (b.vx * b.vx + b.vy * b.vy + b.vz * b.vz)
    for j = i + 1, #nb do
      local b2 = nb[j]
      local dx, dy, dz = b.x - b2.x, b.y - b2.y, b.z - b2.z
      e = e - b.mass * b2.mass / sqrt(dx * dx + dy * dy + dz * dz)
    end
  end
  return e
end
local px, py, pz = 0, 0, 0
for i = 1, #bodies do
  local b = bodies[i]
  px, py, pz = px + b.vx * b.mass, py + b.vy * b.mass, pz + b.vz * b.mass
end
bodies[1].vx, bodies[1].vy, bodies[1].vz = -px / SOLAR_MASS, -py / SOLAR_MASS, -pz / SOLAR_MASS
print(string.format("nbody start %.9f", energy(bodies)))
for _ = 1, 3000 do advance(bodies, 0.01) end
print(string.format("nbody end %.9f %a", energy(bodies), energy(bodies)))

-- Spectral norm.
local function A(i, j) local ij = i + j - 1; return 1.0 / (ij * (ij - 1) * 0.5 + i) end
local function Av(x, y, N) for i = 1, N do local a = 0; for j = 1, N do a = a + x[j] * A(i, j) end; y[i] = a end end
local function Atv(x, y, N) for i = 1, N do local a = 0; for j = 1, N do a = a + x[j] * A(j, i) end; y[i] = a end end
local function AtAv(x, y, t, N) Av(x, t, N); Atv(t, y, N) end
local N = 60
local u, v, t = {}, {}, {}
for i = 1, N do u[i] = 1 end
for _ = 1, 10 do AtAv(u, v, t, N); AtAv(v, u, t, N) end
local vBv, vv = 0, 0
for i = 1, N do local ui, vi = u[i], v[i]; vBv = vBv + ui * vi; vv = vv + vi * vi end
print(string.format("spectral norm %.9f", math.sqrt(vBv / vv)))

-- Mandelbrot membership count on a small grid.
local inside = 0
for py = 0, 59 do
  for px = 0, 79 do
    local cr, ci = px / 40 - 1.5, py / 30 - 1.0
    local zr, zi, n = 0.0, 0.0, 0
    while n < 50 and zr * zr + zi * zi <= 4 do
      zr, zi = zr * zr - zi * zi + cr, 2 * zr * zi + ci
      n = n + 1
    end
    if n == 50 then inside = inside + 1 end
  end
end
print("mandelbrot inside", inside)
