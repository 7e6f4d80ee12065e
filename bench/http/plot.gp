# Requests per second against store size, from bench/http/summarize.py's plot.dat.
#   gnuplot -e "outdir='bench/results'" bench/http/plot.gp
set terminal svg size 800,480 dynamic font "sans,12"
set output outdir."/req_per_s.svg"
set title "keyward vs nginx static 200 (HTTPS, 1 pinned core, wrk -c32)"
set xlabel "stored keys"
set ylabel "requests/s"
set logscale x
set format x "10^{%L}"
set yrange [0:*]
set key outside right
set grid
f = outdir."/plot.dat"
plot f using 1:2 with linespoints title "keyward /healthz", \
     f using 1:(($3+$5+$7)/3) with lines dashtype 2 title "nginx (same run, mean)", \
     f using 1:4 with linespoints title "keyward /v1/auth", \
     f using 1:6 with linespoints title "keyward /v1/verify"
