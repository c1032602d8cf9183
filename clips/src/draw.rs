//! Draws one frame of a clip with tiny-skia: the camera's projection of the figure and its
//! props, the working leg in a contrasting colour, a highlight and arrow on the moving joint
//! during the demo, and the fault marked during the common mistake.

use talus_core::catalog::clips::{Camera, Joint, Leg, Motion, Pose, PropKind, Stance};
use talus_core::catalog::SegmentKind;
use tiny_skia::{
    Color, FillRule, LineCap, LineJoin, Mask, Paint, PathBuilder, Pixmap, PixmapPaint, Rect,
    Stroke, Transform,
};

use crate::figure::{body, pose_figure, Foot, LegPoints, Skeleton, V3};

/// The palette: calm, high-contrast where it matters.
mod palette {
    pub const BACKGROUND: [u8; 3] = [244, 241, 234];
    pub const FLOOR: [u8; 3] = [205, 198, 186];
    pub const PROP: [u8; 3] = [214, 208, 198];
    pub const PROP_EDGE: [u8; 3] = [150, 142, 130];
    pub const BODY: [u8; 3] = [92, 104, 114];
    pub const BODY_FAR: [u8; 3] = [158, 168, 176];
    pub const WORKING: [u8; 3] = [24, 118, 140];
    pub const WORKING_FAR: [u8; 3] = [110, 170, 184];
    pub const SKIN_LINE: [u8; 3] = [60, 70, 78];
    pub const HIGHLIGHT: [u8; 3] = [232, 158, 50];
    pub const FAULT: [u8; 3] = [200, 74, 56];
    pub const BAND: [u8; 3] = [128, 92, 170];
    pub const BALL: [u8; 3] = [96, 150, 92];
    pub const TOWEL: [u8; 3] = [226, 196, 120];
    pub const FOAM: [u8; 3] = [150, 190, 220];
    pub const TAPE: [u8; 3] = [226, 186, 60];
}

fn color(rgb: [u8; 3]) -> Color {
    Color::from_rgba8(rgb[0], rgb[1], rgb[2], 255)
}

fn paint(rgb: [u8; 3]) -> Paint<'static> {
    let mut p = Paint::default();
    p.set_color(color(rgb));
    p.anti_alias = true;
    p
}

/// Maps world points to pixels for one clip.
#[derive(Debug, Clone, Copy)]
pub struct Projection {
    camera: Camera,
    mirror: bool,
    center: (f32, f32),
    scale: f32,
    size: (f32, f32),
}

impl Projection {
    /// The projection for a motion's camera and framing at a picture size.
    pub fn new(motion: &Motion, width: u32, height: u32) -> Projection {
        Projection {
            camera: motion.camera,
            // The figure is built with the working leg on its left; showing the right leg
            // is the mirror image.
            mirror: motion.shown_leg == Leg::Right,
            center: (motion.framing.center_x, motion.framing.center_y),
            scale: width as f32 / motion.framing.span.max(1.0),
            size: (width as f32, height as f32),
        }
    }

    /// The same camera zoomed on a world point, `span` centimetres across a `size`-pixel
    /// square (the detail inset).
    fn zoomed_on(&self, p: V3, span: f32, size: u32) -> Projection {
        let (sx, sy, _) = self.plane(p);
        Projection {
            center: (sx, sy),
            scale: size as f32 / span.max(1.0),
            size: (size as f32, size as f32),
            ..*self
        }
    }

    /// Picture-plane coordinates (cm) and depth (larger is nearer the camera).
    fn plane(&self, p: V3) -> (f32, f32, f32) {
        let (sx, depth) = match self.camera {
            // Seen from the working leg's side, the figure faces left.
            Camera::Side => (-p.x, p.z),
            // From behind, the figure's left is on the viewer's left.
            Camera::Rear => (-p.z, -p.x),
            Camera::Front => (p.z, p.x),
        };
        (if self.mirror { -sx } else { sx }, p.y, depth)
    }

    /// Pixel position of a world point.
    pub fn px(&self, p: V3) -> (f32, f32) {
        let (sx, sy, _) = self.plane(p);
        (
            self.size.0 / 2.0 + (sx - self.center.0) * self.scale,
            self.size.1 / 2.0 - (sy - self.center.1) * self.scale,
        )
    }

    fn depth(&self, p: V3) -> f32 {
        self.plane(p).2
    }
}

enum Shape {
    Capsule(V3, V3, f32),
    /// A capsule bent at its middle point (a toe).
    Bent([V3; 3], f32),
    Hull(Vec<V3>),
    Ball(V3, f32),
}

struct Item {
    depth: f32,
    shape: Shape,
    fill: [u8; 3],
    edge: Option<[u8; 3]>,
}

fn convex_hull(mut pts: Vec<(f32, f32)>) -> Vec<(f32, f32)> {
    pts.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    if pts.len() < 3 {
        return pts;
    }
    let cross = |o: (f32, f32), a: (f32, f32), b: (f32, f32)| {
        (a.0 - o.0) * (b.1 - o.1) - (a.1 - o.1) * (b.0 - o.0)
    };
    let mut hull: Vec<(f32, f32)> = Vec::with_capacity(pts.len() * 2);
    for pass in 0..2 {
        let start = hull.len();
        let iter: Box<dyn Iterator<Item = &(f32, f32)>> = if pass == 0 {
            Box::new(pts.iter())
        } else {
            Box::new(pts.iter().rev())
        };
        for &p in iter {
            while hull.len() >= start + 2
                && cross(hull[hull.len() - 2], hull[hull.len() - 1], p) <= 0.0
            {
                hull.pop();
            }
            hull.push(p);
        }
        hull.pop();
    }
    hull
}

struct Canvas<'a> {
    pix: &'a mut Pixmap,
    proj: Projection,
}

impl Canvas<'_> {
    /// A round-ended stroke through `points` (a bone, or a bent toe).
    fn capsule(&mut self, points: &[V3], radius: f32, rgb: [u8; 3]) {
        let mut pb_ = PathBuilder::new();
        for (i, p) in points.iter().enumerate() {
            let (x, y) = self.proj.px(*p);
            if i == 0 {
                pb_.move_to(x, y);
            } else {
                // A zero-length stroke draws nothing; nudge the end.
                pb_.line_to(x + 0.01, y);
            }
        }
        if let Some(path) = pb_.finish() {
            let stroke = Stroke {
                width: 2.0 * radius * self.proj.scale,
                line_cap: LineCap::Round,
                line_join: LineJoin::Round,
                ..Stroke::default()
            };
            self.pix
                .stroke_path(&path, &paint(rgb), &stroke, Transform::identity(), None);
        }
    }

    fn polygon(&mut self, pts: &[(f32, f32)], rgb: [u8; 3], edge: Option<[u8; 3]>) {
        let mut pb = PathBuilder::new();
        let mut it = pts.iter();
        let Some(first) = it.next() else { return };
        pb.move_to(first.0, first.1);
        for p in it {
            pb.line_to(p.0, p.1);
        }
        pb.close();
        if let Some(path) = pb.finish() {
            self.pix.fill_path(
                &path,
                &paint(rgb),
                FillRule::Winding,
                Transform::identity(),
                None,
            );
            if let Some(e) = edge {
                let stroke = Stroke {
                    width: 1.5,
                    line_join: LineJoin::Round,
                    ..Stroke::default()
                };
                self.pix
                    .stroke_path(&path, &paint(e), &stroke, Transform::identity(), None);
            }
        }
    }

    fn circle_px(&mut self, c: (f32, f32), r: f32, rgb: [u8; 3], stroke_width: Option<f32>) {
        if let Some(path) = PathBuilder::from_circle(c.0, c.1, r.max(0.5)) {
            match stroke_width {
                None => self.pix.fill_path(
                    &path,
                    &paint(rgb),
                    FillRule::Winding,
                    Transform::identity(),
                    None,
                ),
                Some(w) => {
                    let stroke = Stroke {
                        width: w,
                        ..Stroke::default()
                    };
                    self.pix
                        .stroke_path(&path, &paint(rgb), &stroke, Transform::identity(), None)
                }
            }
        }
    }

    fn line_px(&mut self, pts: &[(f32, f32)], rgb: [u8; 3], width: f32) {
        let mut pb = PathBuilder::new();
        let mut it = pts.iter();
        let Some(first) = it.next() else { return };
        pb.move_to(first.0, first.1);
        for p in it {
            pb.line_to(p.0, p.1);
        }
        if let Some(path) = pb.finish() {
            let stroke = Stroke {
                width,
                line_cap: LineCap::Round,
                line_join: LineJoin::Round,
                ..Stroke::default()
            };
            self.pix
                .stroke_path(&path, &paint(rgb), &stroke, Transform::identity(), None);
        }
    }

    fn boxed(&mut self, min: V3, max: V3, rgb: [u8; 3]) {
        let mut pts = Vec::with_capacity(8);
        for &x in &[min.x, max.x] {
            for &y in &[min.y, max.y] {
                for &z in &[min.z, max.z] {
                    pts.push(self.proj.px(V3::new(x, y, z)));
                }
            }
        }
        let hull = convex_hull(pts);
        self.polygon(&hull, rgb, Some(palette::PROP_EDGE));
    }

    fn draw(&mut self, item: &Item) {
        match &item.shape {
            Shape::Capsule(a, b, r) => {
                if let Some(e) = item.edge {
                    self.capsule(&[*a, *b], r + 0.6, e);
                }
                self.capsule(&[*a, *b], *r, item.fill)
            }
            Shape::Bent(points, r) => {
                if let Some(e) = item.edge {
                    self.capsule(points, r + 0.6, e);
                }
                self.capsule(points, *r, item.fill)
            }
            Shape::Hull(points) => {
                let pts = points.iter().map(|p| self.proj.px(*p)).collect();
                let hull = convex_hull(pts);
                self.polygon(&hull, item.fill, item.edge);
            }
            Shape::Ball(c, r) => {
                let p = self.proj.px(*c);
                let r = r * self.proj.scale;
                if let Some(e) = item.edge {
                    self.circle_px(p, r + 1.2, e, None);
                }
                self.circle_px(p, r, item.fill, None);
            }
        }
    }
}

/// Which colour a body part gets: the working leg stands out, parts away from the camera
/// are lighter.
fn shade(working: bool, far: bool) -> [u8; 3] {
    match (working, far) {
        (true, false) => palette::WORKING,
        (true, true) => palette::WORKING_FAR,
        (false, false) => palette::BODY,
        (false, true) => palette::BODY_FAR,
    }
}

fn foot_outline(f: &Foot) -> Vec<V3> {
    let lat = f.lateral;
    let med = lat.scale(-1.0);
    let w = body::FOOT_HALF_WIDTH;
    let heel_back = f.heel.minus(f.forward.scale(1.5));
    let instep = f.ankle.plus(f.forward.scale(4.0)).plus(f.up.scale(1.0));
    vec![
        f.ankle.plus(f.up.scale(2.5)).minus(f.forward.scale(1.5)),
        f.ankle.plus(lat.scale(3.5)),
        f.ankle.plus(med.scale(3.5)),
        heel_back.plus(f.up.scale(1.5)).plus(lat.scale(3.0)),
        heel_back.plus(f.up.scale(1.5)).plus(med.scale(3.0)),
        heel_back.plus(f.up.scale(5.0)),
        f.heel.plus(lat.scale(3.2)),
        f.heel.plus(med.scale(3.2)),
        f.ball.plus(lat.scale(w)),
        f.ball.plus(med.scale(w)),
        f.ball.plus(f.up.scale(3.0)),
        instep.plus(lat.scale(3.0)),
        instep.plus(med.scale(3.0)),
    ]
}

fn leg_items(items: &mut Vec<Item>, proj: &Projection, leg: &LegPoints, working: bool, far: bool) {
    let fill = shade(working, far);
    let d = |a: V3, b: V3| (proj.depth(a) + proj.depth(b)) / 2.0;
    let f = &leg.foot;
    let medial = f.lateral.scale(-2.2);
    items.push(Item {
        depth: d(leg.hip, leg.knee),
        shape: Shape::Capsule(leg.hip, leg.knee, 7.0),
        fill,
        edge: None,
    });
    items.push(Item {
        depth: d(leg.knee, f.ankle),
        shape: Shape::Capsule(leg.knee, f.ankle, 5.0),
        fill,
        edge: None,
    });
    items.push(Item {
        depth: d(f.heel, f.ball),
        shape: Shape::Hull(foot_outline(f)),
        fill,
        edge: Some(palette::SKIN_LINE),
    });
    items.push(Item {
        depth: d(f.ball, f.toe_tip) + 0.1,
        shape: Shape::Bent(
            [
                f.ball.minus(medial).plus(f.up.scale(1.5)),
                f.toe_knuckle.minus(medial).plus(f.up.scale(1.35)),
                f.toe_tip.minus(medial).plus(f.up.scale(1.2)),
            ],
            1.8,
        ),
        fill,
        edge: Some(palette::SKIN_LINE),
    });
    items.push(Item {
        depth: d(f.ball, f.big_toe_tip) - 0.1,
        shape: Shape::Bent(
            [
                f.ball.plus(medial).plus(f.up.scale(1.5)),
                f.big_toe_knuckle.plus(medial).plus(f.up.scale(1.5)),
                f.big_toe_tip.plus(medial).plus(f.up.scale(1.5)),
            ],
            2.1,
        ),
        fill,
        edge: Some(palette::SKIN_LINE),
    });
}

fn figure_items(proj: &Projection, s: &Skeleton) -> Vec<Item> {
    let mut items = Vec::new();
    // Which leg is farther from the camera decides its shade.
    let wd = proj.depth(s.working.knee) + proj.depth(s.working.foot.ankle);
    let od = proj.depth(s.other.knee) + proj.depth(s.other.foot.ankle);
    // Only a side view has a near and a far leg; from the front or behind both are in view.
    let side = proj.camera == Camera::Side;
    leg_items(&mut items, proj, &s.working, true, side && wd < od - 4.0);
    leg_items(&mut items, proj, &s.other, false, side && od < wd - 4.0);
    let d = |a: V3, b: V3| (proj.depth(a) + proj.depth(b)) / 2.0;
    let hips = (s.working.hip, s.other.hip);
    items.push(Item {
        depth: d(hips.0, hips.1) - 0.5,
        shape: Shape::Capsule(hips.0, hips.1, 9.0),
        fill: palette::BODY,
        edge: None,
    });
    items.push(Item {
        depth: d(s.pelvis, s.neck) - 0.5,
        shape: Shape::Capsule(s.pelvis, s.neck, 12.0),
        fill: palette::BODY,
        edge: None,
    });
    items.push(Item {
        depth: proj.depth(s.head),
        shape: Shape::Ball(s.head, body::HEAD_RADIUS),
        fill: palette::BODY,
        edge: None,
    });
    for (arm, near_side) in [(&s.arm_working, true), (&s.arm_other, false)] {
        let [sh, el, hand] = *arm;
        let far = if near_side {
            false
        } else {
            proj.depth(sh) < proj.depth(s.neck) - 4.0
        };
        let fill = shade(false, far);
        items.push(Item {
            depth: d(sh, el) + 0.2,
            shape: Shape::Capsule(sh, el, 4.2),
            fill,
            edge: None,
        });
        items.push(Item {
            depth: d(el, hand) + 0.2,
            shape: Shape::Capsule(el, hand, 3.6),
            fill,
            edge: None,
        });
    }
    items.sort_by(|a, b| a.depth.total_cmp(&b.depth));
    items
}

/// Whether a prop moves with the figure (and so cannot be part of the cached background).
fn moves_with_figure(kind: PropKind) -> bool {
    matches!(kind, PropKind::Backpack | PropKind::Band)
}

/// Props that stand still: drawn once per clip into the background.
fn draw_fixed_props(cv: &mut Canvas, motion: &Motion) {
    for prop in &motion.props {
        let (x, y) = (prop.x, prop.y);
        match prop.kind {
            PropKind::Wall => cv.boxed(
                V3::new(x, 0.0, -90.0),
                V3::new(x + 10.0, 210.0, 90.0),
                palette::PROP,
            ),
            // The step's back edge is at `x`; it runs forward from there, so a heel can hang
            // off the edge behind it.
            PropKind::Step => cv.boxed(
                V3::new(x, 0.0, -45.0),
                V3::new(x + 40.0, y, 45.0),
                palette::PROP,
            ),
            PropKind::Foam => cv.boxed(
                V3::new(x - 10.0, 0.0, 0.0),
                V3::new(x + 32.0, y, 20.0),
                palette::FOAM,
            ),
            PropKind::Chair => {
                let seat = y;
                cv.boxed(
                    V3::new(-24.0, seat - 4.0, -24.0),
                    V3::new(18.0, seat, 24.0),
                    palette::PROP,
                );
                cv.boxed(
                    V3::new(-28.0, 0.0, -24.0),
                    V3::new(-24.0, seat + 48.0, 24.0),
                    palette::PROP,
                );
                for (lx, lz) in [(-26.0, -22.0), (15.0, -22.0), (-26.0, 20.0), (15.0, 20.0)] {
                    cv.boxed(
                        V3::new(lx, 0.0, lz),
                        V3::new(lx + 3.0, seat - 4.0, lz + 2.0),
                        palette::PROP,
                    );
                }
            }
            PropKind::Rail => {
                // Beside the step on the far side of the figure.
                cv.boxed(
                    V3::new(x - 2.0, 0.0, -34.0),
                    V3::new(x + 2.0, y + 92.0, -30.0),
                    palette::PROP_EDGE,
                );
                cv.boxed(
                    V3::new(x - 30.0, y + 88.0, -34.0),
                    V3::new(x + 30.0, y + 92.0, -30.0),
                    palette::PROP_EDGE,
                );
            }
            PropKind::Tape => {
                cv.boxed(
                    V3::new(x - 28.0, 0.0, 6.0),
                    V3::new(x, 0.3, 12.0),
                    palette::TAPE,
                );
                for cm in (0..=25).step_by(5) {
                    let p = cv.proj.px(V3::new(x - cm as f32, 0.0, 9.0));
                    cv.line_px(
                        &[(p.0, p.1 - 4.0), (p.0, p.1 + 4.0)],
                        palette::PROP_EDGE,
                        1.5,
                    );
                }
            }
            PropKind::Ball => {
                let c = V3::new(x, 3.5, body::HIP_HALF);
                let p = cv.proj.px(c);
                cv.circle_px(p, 3.5 * cv.proj.scale, palette::BALL, None);
            }
            PropKind::Towel => {
                let a = cv.proj.px(V3::new(x, y + 2.5, 2.0));
                let b = cv.proj.px(V3::new(x, y + 2.5, 16.0));
                cv.line_px(&[a, (b.0 + 0.01, b.1)], palette::TOWEL, 5.0 * cv.proj.scale);
            }
            PropKind::Backpack | PropKind::Band => {}
        }
    }
}

/// Props that move with the figure (the band is drawn over it, see `draw_band`).
fn draw_moving_props(cv: &mut Canvas, motion: &Motion, s: &Skeleton) {
    for prop in motion.props.iter().filter(|p| moves_with_figure(p.kind)) {
        if prop.kind != PropKind::Backpack {
            continue;
        }
        let c = match motion.stance {
            Stance::Seated => s
                .working
                .knee
                .lerp(s.other.knee, 0.5)
                .plus(V3::new(-4.0, 12.0, 0.0)),
            Stance::Standing => s.pelvis.lerp(s.neck, 0.6).plus(V3::new(-16.0, 0.0, 0.0)),
        };
        cv.boxed(
            c.minus(V3::new(8.0, 12.0, 14.0)),
            c.plus(V3::new(8.0, 12.0, 14.0)),
            [120, 130, 110],
        );
    }
}

/// Where the band's loop sits on the working leg (the front of the leg, `band_y` above
/// the sole) and where it is anchored, when the clip has a band.
fn band_points(motion: &Motion, s: &Skeleton) -> Option<(V3, V3)> {
    let anchor = motion.props.iter().find(|p| p.kind == PropKind::Band)?;
    let f = &s.working.foot;
    // Low on the ankle (just under the ankle bones) is right; up on the shin misses the
    // ankle bone.
    let t = (s.band_y - body::ANKLE_HEIGHT) / body::SHANK;
    let centre = f.ankle.lerp(s.working.knee, t.clamp(-0.15, 0.9));
    Some((
        centre.plus(V3::new(5.0, 0.0, 0.0)),
        V3::new(anchor.x, anchor.y, body::HIP_HALF),
    ))
}

/// The band: a strap from its anchor, across the side of the ankle, around the front of
/// the leg, drawn over the leg so the viewer sees where it sits.
fn draw_band(cv: &mut Canvas, motion: &Motion, s: &Skeleton) {
    let Some((front, a)) = band_points(motion, s) else {
        return;
    };
    let k = cv.proj.scale;
    let (pa, fr) = (cv.proj.px(a), cv.proj.px(front));
    let wrap = [
        cv.proj.px(front.plus(V3::new(-1.0, 2.2, 0.0))),
        fr,
        cv.proj.px(front.plus(V3::new(-1.0, -2.2, 0.0))),
    ];
    cv.line_px(&[pa, fr], palette::SKIN_LINE, 2.6 * k);
    cv.line_px(&wrap, palette::SKIN_LINE, 3.4 * k);
    cv.line_px(&[pa, fr], palette::BAND, 2.0 * k);
    cv.line_px(&wrap, palette::BAND, 2.8 * k);
    cv.boxed(
        a.minus(V3::new(3.0, 3.0, 6.0)),
        a.plus(V3::new(3.0, 3.0, 6.0)),
        palette::PROP_EDGE,
    );
}

fn joint_point(s: &Skeleton, joint: Joint) -> V3 {
    let f = &s.working.foot;
    match joint {
        Joint::Ankle => f.ankle,
        Joint::Heel => f.heel.plus(f.up.scale(2.0)),
        Joint::Knee => s.working.knee,
        Joint::Hip => s.working.hip,
        Joint::Toes => f.toe_tip,
        Joint::BigToe => f.big_toe_tip,
        Joint::Arch => f.heel.lerp(f.ball, 0.5).plus(f.up.scale(2.0)),
        Joint::Band => f.ankle.plus(f.forward.scale(5.0)),
        Joint::OtherFoot => s.other.foot.ankle,
        Joint::OtherKnee => s.other.knee,
        Joint::Trunk => s.neck,
    }
}

/// What a frame shows: which segment, how far into it.
#[derive(Debug, Clone, Copy)]
pub struct FrameAt {
    pub segment: usize,
    pub t_ms: u32,
}

/// Everything a frame's picture depends on beyond the clip itself: two frames with equal
/// states are the same picture (the encoder reuses it without drawing).
#[derive(Debug, Clone, PartialEq)]
pub struct FrameState {
    segment: usize,
    pose: Option<Pose>,
    /// The pose a moment later, for the demo's motion arrow.
    later: Option<Pose>,
}

/// How far ahead the demo's arrow looks to show where the joint is going.
const ARROW_LOOKAHEAD_MS: u32 = 150;

/// One clip at one picture size: the projection and the background (floor and the props
/// that stand still), drawn once and copied under every frame.
pub struct Scene<'m> {
    motion: &'m Motion,
    proj: Projection,
    background: Pixmap,
    detail: Option<Detail>,
}

/// A magnified view of the working heel in a round inset, for the clips filmed from
/// behind: the whole figure is in the picture, and the heel's roll is still plain to see.
struct Detail {
    /// The inset's camera: fixed on where the working heel stands in the base pose, so
    /// the heel is seen moving against a still floor.
    proj: Projection,
    /// Where the inset's top-left corner sits in the picture, and its side in pixels.
    at: (i32, i32),
    size: u32,
    /// Floor and props behind the heel, zoomed.
    background: Pixmap,
    /// The round window, in picture coordinates.
    mask: Mask,
}

/// How much of the heel the inset shows (cm across) and how big it is (share of the
/// picture's width).
const DETAIL_SPAN_CM: f32 = 34.0;
const DETAIL_SHARE: f32 = 0.36;

impl Detail {
    fn new(motion: &Motion, proj: &Projection, width: u32, height: u32) -> Option<Detail> {
        let size = ((width as f32 * DETAIL_SHARE) as u32).max(16);
        let margin = (width as f32 * 0.03) as i32;
        let base = pose_figure(motion, &motion.base);
        let heel = base.working.foot.heel;
        // The inset goes in the top corner on the side away from the working leg.
        let left = if proj.px(heel).0 > width as f32 / 2.0 {
            margin
        } else {
            width as i32 - margin - size as i32
        };
        let dproj = proj.zoomed_on(V3::new(heel.x, 9.0, heel.z), DETAIL_SPAN_CM, size);
        let mut background = Pixmap::new(size, size)?;
        background.fill(color(palette::BACKGROUND));
        let mut cv = Canvas {
            pix: &mut background,
            proj: dproj,
        };
        let floor = dproj.px(V3::new(0.0, 0.0, 0.0)).1;
        if let Some(r) = Rect::from_ltrb(0.0, floor, size as f32, size as f32) {
            cv.pix
                .fill_rect(r, &paint(palette::FLOOR), Transform::identity(), None);
        }
        draw_fixed_props(&mut cv, motion);
        let mut mask = Mask::new(width, height)?;
        let r = size as f32 / 2.0;
        let circle = PathBuilder::from_circle(left as f32 + r, margin as f32 + r, r - 1.0)?;
        mask.fill_path(&circle, FillRule::Winding, true, Transform::identity());
        Some(Detail {
            proj: dproj,
            at: (left, margin),
            size,
            background,
            mask,
        })
    }

    fn draw(&self, pix: &mut Pixmap, s: &Skeleton) {
        let Some(mut inset) = Pixmap::new(self.size, self.size) else {
            return;
        };
        inset.data_mut().copy_from_slice(self.background.data());
        let mut cv = Canvas {
            pix: &mut inset,
            proj: self.proj,
        };
        for item in figure_items(&self.proj, s) {
            cv.draw(&item);
        }
        draw_heel_axis(&mut cv, s);
        pix.draw_pixmap(
            self.at.0,
            self.at.1,
            inset.as_ref(),
            &PixmapPaint::default(),
            Transform::identity(),
            Some(&self.mask),
        );
        let r = self.size as f32 / 2.0;
        let scale = pix.width() as f32 / 720.0;
        let mut cv = Canvas {
            pix,
            proj: self.proj,
        };
        cv.circle_px(
            (self.at.0 as f32 + r, self.at.1 as f32 + r),
            r - 1.0,
            palette::SKIN_LINE,
            Some(3.0 * scale),
        );
    }
}

impl<'m> Scene<'m> {
    /// Prepares a clip's scene; `None` for a zero-sized picture.
    pub fn new(motion: &'m Motion, width: u32, height: u32) -> Option<Scene<'m>> {
        let proj = Projection::new(motion, width, height);
        let mut background = Pixmap::new(width, height)?;
        background.fill(color(palette::BACKGROUND));
        let mut cv = Canvas {
            pix: &mut background,
            proj,
        };
        let floor = proj.px(V3::new(0.0, 0.0, 0.0)).1;
        if let Some(r) = Rect::from_ltrb(0.0, floor, width as f32, height as f32) {
            cv.pix
                .fill_rect(r, &paint(palette::FLOOR), Transform::identity(), None);
        }
        draw_fixed_props(&mut cv, motion);
        let detail = match motion.camera {
            Camera::Rear => Detail::new(motion, &proj, width, height),
            Camera::Side | Camera::Front => None,
        };
        Some(Scene {
            motion,
            proj,
            background,
            detail,
        })
    }

    /// What the frame at `at` shows.
    pub fn state(&self, at: FrameAt) -> FrameState {
        let m = self.motion;
        let demo_arrow = m
            .segments
            .get(at.segment)
            .is_some_and(|s| s.kind == SegmentKind::Demo && s.highlight.is_some());
        FrameState {
            segment: at.segment,
            pose: m.pose_at(at.segment, at.t_ms),
            later: if demo_arrow {
                m.pose_at(at.segment, at.t_ms.saturating_add(ARROW_LOOKAHEAD_MS))
            } else {
                None
            },
        }
    }

    /// Draws a frame into `pix` (same size as the scene), over the background.
    pub fn draw(&self, pix: &mut Pixmap, state: &FrameState) {
        let (motion, proj) = (self.motion, self.proj);
        if pix.data().len() == self.background.data().len() {
            pix.data_mut().copy_from_slice(self.background.data());
        } else {
            pix.fill(color(palette::BACKGROUND));
        }
        let Some(pose) = &state.pose else {
            return;
        };
        let skel = pose_figure(motion, pose);
        let mut cv = Canvas { pix, proj };
        draw_moving_props(&mut cv, motion, &skel);
        for item in figure_items(&proj, &skel) {
            cv.draw(&item);
        }
        draw_arch(&mut cv, &skel);
        draw_band(&mut cv, motion, &skel);
        draw_face(&mut cv, motion, &skel);
        if matches!(motion.camera, Camera::Rear) {
            draw_heel_axis(&mut cv, &skel);
        }
        if let Some(detail) = &self.detail {
            detail.draw(cv.pix, &skel);
        }
        let Some(seg) = motion.segments.get(state.segment) else {
            return;
        };
        let (w, h) = (cv.pix.width(), cv.pix.height());
        let scale = w as f32 / 720.0;
        match seg.kind {
            SegmentKind::Demo => {
                if let Some(joint) = seg.highlight {
                    let now = proj.px(joint_point(&skel, joint));
                    let later = state
                        .later
                        .as_ref()
                        .map(|p| proj.px(joint_point(&pose_figure(motion, p), joint)));
                    // From behind the heel bone itself is the message: ring it, don't cover it.
                    let ring = if joint == Joint::Heel && motion.camera == Camera::Rear {
                        40.0
                    } else {
                        24.0
                    };
                    cv.circle_px(now, ring * scale, palette::HIGHLIGHT, Some(4.0 * scale));
                    if let Some(next) = later {
                        arrow(&mut cv, now, next, scale);
                    }
                    // The band's message is two forces: it pulls the ankle back while the
                    // knee drives forward.
                    if joint == Joint::Band {
                        if let Some((front, anchor)) = band_points(motion, &skel) {
                            let back = front.plus(anchor.minus(front).norm().scale(10.0));
                            arrow(&mut cv, now, proj.px(back), scale);
                        }
                        let knee = proj.px(skel.working.knee);
                        cv.circle_px(knee, 24.0 * scale, palette::HIGHLIGHT, Some(4.0 * scale));
                        if let Some(p) = &state.later {
                            let next = proj.px(pose_figure(motion, p).working.knee);
                            arrow(&mut cv, knee, next, scale);
                        }
                    }
                }
            }
            SegmentKind::CommonMistake => {
                if let Some(joint) = seg.fault {
                    let p = proj.px(joint_point(&skel, joint));
                    cv.circle_px(p, 26.0 * scale, palette::FAULT, Some(5.0 * scale));
                    let (cx, cy, k) = (p.0 + 34.0 * scale, p.1 - 34.0 * scale, 10.0 * scale);
                    cv.line_px(
                        &[(cx - k, cy - k), (cx + k, cy + k)],
                        palette::FAULT,
                        5.0 * scale,
                    );
                    cv.line_px(
                        &[(cx - k, cy + k), (cx + k, cy - k)],
                        palette::FAULT,
                        5.0 * scale,
                    );
                }
                let b = 8.0 * scale;
                let (wf, hf) = (w as f32, h as f32);
                cv.line_px(
                    &[(b, b), (wf - b, b), (wf - b, hf - b), (b, hf - b), (b, b)],
                    palette::FAULT,
                    2.0 * b,
                );
            }
            SegmentKind::Intro | SegmentKind::RepLoop => {}
        }
    }
}

/// Draws one frame into `pix` (posters, single frames, the contact sheet; the encoder
/// keeps a [`Scene`] per clip instead).
pub fn draw_frame(pix: &mut Pixmap, motion: &Motion, at: FrameAt) {
    match Scene::new(motion, pix.width(), pix.height()) {
        Some(scene) => scene.draw(pix, &scene.state(at)),
        None => pix.fill(color(palette::BACKGROUND)),
    }
}

/// The arch under the working foot: a gap that grows as the arch domes.
fn draw_arch(cv: &mut Canvas, s: &Skeleton) {
    let f = &s.working.foot;
    if f.arch_dome <= 0.01 {
        return;
    }
    let lift = f.arch_dome * 1.8;
    let pts: Vec<(f32, f32)> = (0..=8)
        .map(|i| {
            let u = i as f32 / 8.0;
            let along = f.heel.lerp(f.ball, 0.15 + 0.7 * u);
            let h = (u * std::f32::consts::PI).sin() * lift;
            cv.proj.px(along.plus(f.up.scale(h)))
        })
        .collect();
    cv.polygon(&pts, palette::BACKGROUND, None);
    cv.line_px(&pts, palette::HIGHLIGHT, 0.5 * cv.proj.scale);
}

fn arrow(cv: &mut Canvas, from: (f32, f32), to: (f32, f32), scale: f32) {
    let (dx, dy) = (to.0 - from.0, to.1 - from.1);
    let len = (dx * dx + dy * dy).sqrt();
    if len < 1.5 * scale {
        return;
    }
    let (ux, uy) = (dx / len, dy / len);
    let start = (from.0 + ux * 30.0 * scale, from.1 + uy * 30.0 * scale);
    let tip = (start.0 + ux * 46.0 * scale, start.1 + uy * 46.0 * scale);
    let k = 13.0 * scale;
    let left = (tip.0 - ux * k - uy * k * 0.8, tip.1 - uy * k + ux * k * 0.8);
    let right = (tip.0 - ux * k + uy * k * 0.8, tip.1 - uy * k - ux * k * 0.8);
    cv.line_px(&[start, tip], palette::HIGHLIGHT, 6.0 * scale);
    cv.line_px(&[left, tip, right], palette::HIGHLIGHT, 6.0 * scale);
}

fn draw_face(cv: &mut Canvas, motion: &Motion, s: &Skeleton) {
    if motion.camera == Camera::Rear {
        return;
    }
    let eye = s.head.plus(V3::new(body::HEAD_RADIUS * 0.55, 1.5, 0.0));
    let p = cv.proj.px(eye);
    let r = 1.6 * cv.proj.scale;
    let eyes = match motion.camera {
        Camera::Side => vec![p],
        _ => [3.8, -3.8]
            .iter()
            .map(|z| cv.proj.px(s.head.plus(V3::new(body::HEAD_RADIUS, 1.5, *z))))
            .collect(),
    };
    for e in eyes {
        if s.eyes_closed {
            cv.line_px(
                &[(e.0 - r, e.1), (e.0 + r, e.1)],
                palette::BACKGROUND,
                0.7 * r,
            );
        } else {
            cv.circle_px(e, r * 0.6, palette::BACKGROUND, None);
        }
    }
}

/// From behind, the heel bone drawn as a cup with a line up its middle and on up the
/// Achilles tendon: the line leans in as the heel rolls in and out as it rolls out.
fn draw_heel_axis(cv: &mut Canvas, s: &Skeleton) {
    let f = &s.working.foot;
    let r = f.roll.to_radians();
    let axis = V3::new(0.0, r.cos(), r.sin());
    let lat = f.lateral;
    let bottom = f.heel.plus(V3::new(-3.0, 0.0, 0.0));
    let cup = [
        bottom.minus(lat.scale(4.0)),
        bottom.plus(lat.scale(4.0)),
        bottom.plus(lat.scale(3.0)).plus(axis.scale(9.0)),
        bottom.minus(lat.scale(3.0)).plus(axis.scale(9.0)),
    ];
    let pts: Vec<(f32, f32)> = cup.iter().map(|p| cv.proj.px(*p)).collect();
    cv.polygon(&pts, palette::WORKING_FAR, Some(palette::SKIN_LINE));
    let top = bottom.plus(axis.scale(16.0));
    let calf = s
        .working
        .knee
        .lerp(f.ankle, 0.45)
        .plus(V3::new(-5.0, 0.0, 0.0));
    let w = 0.8 * cv.proj.scale;
    let line = [cv.proj.px(bottom), cv.proj.px(top), cv.proj.px(calf)];
    cv.line_px(&line, palette::BACKGROUND, w);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Timeline;
    use talus_core::catalog::clips::{catalog_videos, MotionFile, EMBEDDED_MOTIONS_JSON};
    use talus_core::catalog::{CatalogFile, EMBEDDED_CATALOG_JSON};

    /// A circle's place in the picture: whole inside (with `margin` to spare), wholly
    /// outside, or cut by an edge.
    #[derive(Debug, PartialEq)]
    enum InPicture {
        Whole,
        Outside,
        Cut,
    }

    fn in_picture(c: (f32, f32), r: f32, size: f32, margin: f32) -> InPicture {
        let (lo, hi) = (margin + r, size - margin - r);
        if (lo..=hi).contains(&c.0) && (lo..=hi).contains(&c.1) {
            InPicture::Whole
        } else if c.0 + r < 0.0 || c.1 + r < 0.0 || c.0 - r > size || c.1 - r > size {
            InPicture::Outside
        } else {
            InPicture::Cut
        }
    }

    /// Every clip, every fifth frame: the picture never cuts the figure above the hips (it
    /// shows the head whole, or it is a close-up whose top edge stays below the pelvis),
    /// the working foot, heel to toes, is always whole in view, and no foot goes through
    /// the floor.
    #[test]
    fn framing_keeps_head_and_working_foot_whole_and_feet_above_the_floor() {
        let catalog: CatalogFile = serde_json::from_str(EMBEDDED_CATALOG_JSON).unwrap();
        let motions = MotionFile::load(EMBEDDED_MOTIONS_JSON, &catalog).unwrap();
        let size = 720.0;
        let mut problems = Vec::new();
        for (_, video) in catalog_videos(&catalog) {
            let m = motions.motion(&video.asset_id).unwrap();
            let proj = Projection::new(m, 720, 720);
            let timeline = Timeline::new(video, 30);
            for frame in (0..timeline.frames).step_by(5) {
                let at = timeline.at(frame);
                let s = pose_figure(m, &m.pose_at(at.segment, at.t_ms).unwrap());
                let head = in_picture(proj.px(s.head), body::HEAD_RADIUS * proj.scale, size, 4.0);
                // The pelvis is drawn as a capsule of 9 cm radius between the hips.
                let hips_above = [s.working.hip, s.other.hip]
                    .iter()
                    .all(|h| proj.px(*h).1 + 9.0 * proj.scale < 0.0);
                if head != InPicture::Whole && !hips_above {
                    problems.push(format!(
                        "{} frame {frame}: the picture cuts the figure above the hips",
                        m.asset_id
                    ));
                }
                for (leg, foot) in [("working", &s.working.foot), ("other", &s.other.foot)] {
                    let lowest = [foot.heel, foot.ball, foot.toe_tip, foot.big_toe_tip]
                        .iter()
                        .map(|p| p.y)
                        .fold(f32::INFINITY, f32::min);
                    if lowest < -1.0 {
                        problems.push(format!(
                            "{} frame {frame}: the {leg} foot is {:.0} cm under the floor \
                             (heel {:.1}, ball {:.1}, toes {:.1}, big toe {:.1})",
                            m.asset_id,
                            -lowest,
                            foot.heel.y,
                            foot.ball.y,
                            foot.toe_tip.y,
                            foot.big_toe_tip.y
                        ));
                    }
                }
                let f = &s.working.foot;
                for p in [f.heel, f.ankle, f.toe_tip, f.big_toe_tip] {
                    let r = body::FOOT_HALF_WIDTH * proj.scale;
                    let (x, y) = proj.px(p);
                    if in_picture((x, y), r, size, 0.0) != InPicture::Whole {
                        problems.push(format!(
                            "{} frame {frame}: foot cut at ({x:.0}, {y:.0}) px",
                            m.asset_id
                        ));
                    }
                }
            }
        }
        problems.sort_by_key(|p| p.split(' ').next().map(str::to_owned));
        problems.dedup_by(|a, b| a.split(' ').next() == b.split(' ').next());
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
}
