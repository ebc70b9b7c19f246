package mark

// curveSteps is how many straight segments stand for one of the mark's
// curves in Polygons: at 4 cm a segment is under 0.2 mm, below what ink
// shows.
const curveSteps = 24

// Polygons is the mark as closed outlines, one per subpath, with its
// top-left corner at (x, y) and side size: for drawing it as vector paths
// where only polygons are at hand (the posters' PDF). Every subpath of the
// mark is a separate shape, so filling each is filling the mark.
func (m *Mark) Polygons(x, y, size float64) [][][2]float64 {
	k := size / ViewBox
	at := func(px, py float64) [2]float64 { return [2]float64{x + px*k, y + py*k} }
	var out [][][2]float64
	var cur [][2]float64
	for _, op := range m.ops {
		p := op.pts
		switch op.cmd {
		case 'M':
			if len(cur) > 0 {
				out = append(out, cur)
			}
			cur = [][2]float64{at(p[0], p[1])}
		case 'L':
			cur = append(cur, at(p[0], p[1]))
		case 'C':
			p0 := cur[len(cur)-1]
			p1, p2, p3 := at(p[0], p[1]), at(p[2], p[3]), at(p[4], p[5])
			for i := 1; i <= curveSteps; i++ {
				t := float64(i) / curveSteps
				u := 1 - t
				a, b, c, d := u*u*u, 3*u*u*t, 3*u*t*t, t*t*t
				cur = append(cur, [2]float64{a*p0[0] + b*p1[0] + c*p2[0] + d*p3[0], a*p0[1] + b*p1[1] + c*p2[1] + d*p3[1]})
			}
		case 'Z':
			if len(cur) > 0 {
				out = append(out, cur)
			}
			cur = nil
		}
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}
