-- String library workout: patterns, gsub with every replacement kind, formatting,
-- packing, utf8 and a word-frequency count over generated text.
local out = {}
local function emit(...) out[#out + 1] = table.concat({...}, " ") end

local words = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"}
math.randomseed(42)
local parts = {}
for i = 1, 6000 do parts[i] = words[math.random(#words)] end
local text = table.concat(parts, " ")
emit("length", #text)

local freq = {}
for w in text:gmatch("%a+") do freq[w] = (freq[w] or 0) + 1 end
local keys = {}
for k in pairs(freq) do keys[#keys + 1] = k end
table.sort(keys)
for _, k in ipairs(keys) do emit(k, freq[k]) end

emit(("hello world"):gsub("o", "0"))
emit(("hello world"):gsub("(%w+)", "<%1>"))
emit(("hello world"):gsub("%w+", {hello = "HI", world = false}))
emit(("abc"):gsub("", "-"))
emit(("x = 1, y = 22, z = 333"):gsub("(%w+) = (%d+)", function(k, v) return v .. "=" .. k end))
emit(string.find("the quick brown fox", "qu(i)ck"))
emit(string.match("key=value; other=thing", "(%w+)=(%w+)"))
emit(string.match("  trim me  ", "^%s*(.-)%s*$") .. "|")
emit(string.rep("ab", 5, ","), ("Lua"):upper(), ("MiXeD"):lower(), ("reverse"):reverse())
emit(string.byte("ABC", 1, -1))
emit(string.char(72, 105, 33))
emit(("%5d|%-5d|%05.1f|%x|%X|%o|%q|%s|%10.3s|"):format(42, 42, 3.14159, 255, 255, 8, "a\nb\"c", nil, "abcdef"))
emit(("%c%c%c"):format(76, 117, 97), ("%%"):format(), ("%i"):format(-7))
emit(string.format("%q", 1/3), string.format("%q", math.mininteger))

local packed = string.pack("<i4 i8 d s1 z", -2, math.maxinteger, 2.5, "str", "zero")
emit("packed", #packed, string.unpack("<i4 i8 d s1 z", packed))
emit(string.pack(">I2", 0x1234):byte(1, -1))

local s = "héllo wörld ✓"
emit(utf8.len(s), #s, utf8.char(72, 233, 10003))
local cps = {}
for _, c in utf8.codes(s) do cps[#cps + 1] = c end
emit(table.concat(cps, ","))
emit(utf8.offset(s, 3), utf8.codepoint(s, 2))

-- Building and splitting a large CSV-ish string.
local rows = {}
for i = 1, 2000 do rows[i] = string.format("%d,%s,%.2f", i, words[i % 8 + 1], i / 7) end
local csv = table.concat(rows, "\n")
local sum, n = 0, 0
for a, b, c in csv:gmatch("(%d+),(%a+),([%d.]+)") do
  sum = sum + tonumber(a) * #b + tonumber(c)
  n = n + 1
end
emit("csv rows", n, string.format("%.4f", sum))

for i = 1, #out do print(out[i]) end
