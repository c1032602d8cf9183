//! The articulated figure: turns a pose (joint angles from `motions.json`) into 3D points
//! for pelvis, trunk, head, arms and both legs down to heel, ball and toes.
//!
//! World frame in centimetres: x forward (the way the figure faces), y up, z towards the
//! working leg's side. The working leg is built here as the figure's left; a clip that shows
//! the right leg is the mirror image (see `draw`). A standing figure is built from the
//! working foot up, so a foot that the data keeps flat stays on the floor whatever the
//! knee does ("heel down" is then a fact of the picture, not a hope).

use talus_core::catalog::clips::{Channel, Hands, Motion, Pose, PropKind, Stance};

/// Body dimensions (cm) of an adult of about 175 cm.
pub mod body {
    pub const HIP_HALF: f32 = 9.0;
    pub const THIGH: f32 = 44.0;
    pub const SHANK: f32 = 43.0;
    pub const ANKLE_HEIGHT: f32 = 7.5;
    /// Heel contact to the point below the ankle.
    pub const HEEL_TO_ANKLE: f32 = 5.0;
    /// Heel contact to the ball of the foot.
    pub const HEEL_TO_BALL: f32 = 19.0;
    pub const TOES: f32 = 6.5;
    pub const FOOT_HALF_WIDTH: f32 = 4.5;
    pub const TRUNK: f32 = 52.0;
    pub const NECK: f32 = 7.0;
    pub const HEAD_RADIUS: f32 = 10.5;
    pub const SHOULDER_HALF: f32 = 17.0;
    pub const UPPER_ARM: f32 = 30.0;
    pub const FOREARM: f32 = 32.0;
}

/// A point in the world frame.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct V3 {
    pub x: f32,
    pub y: f32,
    pub z: f32,
}

impl V3 {
    pub const fn new(x: f32, y: f32, z: f32) -> V3 {
        V3 { x, y, z }
    }
    pub fn plus(self, o: V3) -> V3 {
        V3::new(self.x + o.x, self.y + o.y, self.z + o.z)
    }
    pub fn minus(self, o: V3) -> V3 {
        V3::new(self.x - o.x, self.y - o.y, self.z - o.z)
    }
    pub fn scale(self, k: f32) -> V3 {
        V3::new(self.x * k, self.y * k, self.z * k)
    }
    pub fn dot(self, o: V3) -> f32 {
        self.x * o.x + self.y * o.y + self.z * o.z
    }
    pub fn cross(self, o: V3) -> V3 {
        V3::new(
            self.y * o.z - self.z * o.y,
            self.z * o.x - self.x * o.z,
            self.x * o.y - self.y * o.x,
        )
    }
    pub fn len(self) -> f32 {
        self.dot(self).sqrt()
    }
    pub fn norm(self) -> V3 {
        let l = self.len();
        if l > 1e-6 {
            self.scale(1.0 / l)
        } else {
            V3::new(0.0, 1.0, 0.0)
        }
    }
    pub fn lerp(self, o: V3, t: f32) -> V3 {
        self.plus(o.minus(self).scale(t))
    }
}

/// One foot's landmarks.
#[derive(Debug, Clone, Copy, Default)]
pub struct Foot {
    pub ankle: V3,
    pub heel: V3,
    pub ball: V3,
    pub toe_tip: V3,
    pub big_toe_tip: V3,
    /// Where the lesser toes and the big toe bend (halfway along a straight toe; raised
    /// when toes curl against the floor).
    pub toe_knuckle: V3,
    pub big_toe_knuckle: V3,
    /// Forward along the sole.
    pub forward: V3,
    /// Up out of the top of the foot.
    pub up: V3,
    /// Outward (lateral), tilted with the heel roll.
    pub lateral: V3,
    /// Heel roll (+ out, − in), degrees, for drawing the heel bone.
    pub roll: f32,
    pub arch_dome: f32,
}

/// One leg's joints.
#[derive(Debug, Clone, Copy, Default)]
pub struct LegPoints {
    pub hip: V3,
    pub knee: V3,
    pub foot: Foot,
}

/// Every point the drawing needs.
#[derive(Debug, Clone, Copy, Default)]
pub struct Skeleton {
    pub working: LegPoints,
    pub other: LegPoints,
    pub pelvis: V3,
    pub neck: V3,
    pub head: V3,
    /// Shoulder, elbow, hand for the working-side arm and the other arm.
    pub arm_working: [V3; 3],
    pub arm_other: [V3; 3],
    pub eyes_closed: bool,
    pub band_y: f32,
    pub hand_on_toes: f32,
}

fn ch(p: &Pose, c: Channel) -> f32 {
    p.get(&c).copied().unwrap_or(0.0)
}

fn rad(deg: f32) -> f32 {
    deg.to_radians()
}

/// Direction of a segment tilted `sagittal` degrees forward and `frontal` degrees towards
/// +z from `base` (straight up or straight down).
fn tilted(up: bool, sagittal: f32, frontal: f32) -> V3 {
    let (s, f) = (rad(sagittal), rad(frontal));
    let y = if up { 1.0 } else { -1.0 };
    V3::new(s.sin() * f.cos(), y * s.cos() * f.cos(), f.sin()).norm()
}

impl Foot {
    /// A foot laid out from its heel contact: ball and toes ahead along `forward`, the ankle
    /// above the heel along `up`.
    fn from_heel(heel: V3, forward: V3, up: V3, lateral: V3) -> Foot {
        let ball = heel.plus(forward.scale(body::HEEL_TO_BALL));
        let mut foot = Foot {
            ankle: heel
                .plus(forward.scale(body::HEEL_TO_ANKLE))
                .plus(up.scale(body::ANKLE_HEIGHT)),
            heel,
            ball,
            toe_tip: ball,
            big_toe_tip: ball,
            toe_knuckle: ball,
            big_toe_knuckle: ball,
            forward,
            up,
            lateral,
            roll: 0.0,
            arch_dome: 0.0,
        };
        set_toes(&mut foot, 0.0, 0.0);
        foot
    }

    /// A foot hanging below its ankle, pitched `pitch` radians up from pointing forward
    /// (the foot's frame stays in the sagittal plane).
    fn below_ankle(ankle: V3, pitch: f32, side: f32) -> Foot {
        let forward = V3::new(pitch.cos(), pitch.sin(), 0.0);
        let up = V3::new(-pitch.sin(), pitch.cos(), 0.0);
        let heel = ankle
            .minus(up.scale(body::ANKLE_HEIGHT))
            .minus(forward.scale(body::HEEL_TO_ANKLE));
        Foot::from_heel(heel, forward, up, V3::new(0.0, 0.0, side))
    }

    /// Applies `f` to every landmark (moving or turning the whole foot).
    fn map_points(&mut self, f: impl Fn(V3) -> V3) {
        for p in [
            &mut self.ankle,
            &mut self.heel,
            &mut self.ball,
            &mut self.toe_tip,
            &mut self.big_toe_tip,
            &mut self.toe_knuckle,
            &mut self.big_toe_knuckle,
        ] {
            *p = f(*p);
        }
    }

    /// A foot coming down onto (or lifting off) a support turns at the ankle rather than
    /// pushing its ball through it: the forefoot pitches up until the ball rests on
    /// `support_y`.
    fn keep_ball_on(&mut self, support_y: f32) {
        let (dx, dy) = (self.ball.x - self.ankle.x, self.ball.y - self.ankle.y);
        let reach = (dx * dx + dy * dy).sqrt();
        if self.ball.y >= support_y || reach < 1e-3 {
            return;
        }
        let want = ((support_y - self.ankle.y) / reach).clamp(-1.0, 1.0).asin();
        let turn = want - dy.atan2(dx);
        let (ankle, axis) = (self.ankle, V3::new(0.0, 0.0, 1.0));
        self.map_points(|p| ankle.plus(rotate(p.minus(ankle), axis, turn)));
        self.forward = rotate(self.forward, axis, turn);
        self.up = rotate(self.up, axis, turn);
    }

    /// Keeps the toes of a foot standing on a support at `support_y` out of it: toes that
    /// would point into it lie flat on it (a raised heel), or, when they are curled
    /// (`ext` < 0), claw against it with the knuckle up and the tip down.
    fn rest_toes_on(&mut self, support_y: f32, toe_ext: f32, big_toe_ext: f32) {
        let flat = V3::new(self.forward.x, 0.0, self.forward.z).norm();
        let up = V3::new(0.0, 1.0, 0.0);
        let ball = self.ball;
        let rest = |tip: &mut V3, knuckle: &mut V3, ext: f32, len: f32| {
            if tip.y >= support_y - 0.05 {
                return;
            }
            let lift = rad((-ext).max(0.0)).min(1.2);
            let half = len / 2.0;
            *knuckle = ball
                .plus(flat.scale(half * lift.cos()))
                .plus(up.scale(half * lift.sin()));
            *tip = knuckle
                .plus(flat.scale(half * lift.cos()))
                .minus(up.scale(half * lift.sin()));
            tip.y = tip.y.max(support_y);
        };
        rest(
            &mut self.toe_tip,
            &mut self.toe_knuckle,
            toe_ext,
            body::TOES,
        );
        rest(
            &mut self.big_toe_tip,
            &mut self.big_toe_knuckle,
            big_toe_ext,
            body::TOES + 0.5,
        );
    }
}

/// A foot standing on a support: the ball stays put, the heel pivots about it.
/// `side` is +1 for the working (left) foot, −1 for the other.
fn planted_foot(heel_x: f32, support_y: f32, z: f32, heel_lift: f32, roll: f32, side: f32) -> Foot {
    let p = rad(heel_lift);
    let forward = V3::new(p.cos(), -p.sin(), 0.0);
    let up = V3::new(p.sin(), p.cos(), 0.0);
    let ball = V3::new(heel_x + body::HEEL_TO_BALL, support_y, z);
    // Rolling the heel in (eversion, negative) tips the heel bone's top towards the midline
    // and lifts its outer edge.
    let r = rad(roll);
    let lateral = V3::new(0.0, -r.sin(), side * r.cos());
    let mut foot = Foot::from_heel(
        ball.minus(forward.scale(body::HEEL_TO_BALL)),
        forward,
        up,
        lateral,
    );
    foot.roll = roll;
    foot
}

/// Points the toes by their extension angles (lesser toes and big toe).
fn set_toes(foot: &mut Foot, toe_ext: f32, big_toe_ext: f32) {
    let tip = |ext: f32, len: f32| {
        let e = rad(ext);
        foot.ball
            .plus(foot.forward.scale(e.cos() * len))
            .plus(foot.up.scale(e.sin() * len))
    };
    foot.toe_tip = tip(toe_ext, body::TOES);
    foot.big_toe_tip = tip(big_toe_ext, body::TOES + 0.5);
    foot.toe_knuckle = foot.ball.lerp(foot.toe_tip, 0.5);
    foot.big_toe_knuckle = foot.ball.lerp(foot.big_toe_tip, 0.5);
}

/// Rotates `v` by `angle` radians about the unit `axis` (Rodrigues).
fn rotate(v: V3, axis: V3, angle: f32) -> V3 {
    let (s, c) = angle.sin_cos();
    v.scale(c)
        .plus(axis.cross(v).scale(s))
        .plus(axis.scale(axis.dot(v) * (1.0 - c)))
}

/// A two-bone limb (thigh and shank, upper arm and forearm) of bone lengths `lengths`.
#[derive(Debug, Clone, Copy)]
struct Limb {
    lengths: (f32, f32),
}

const LEG: Limb = Limb {
    lengths: (body::THIGH, body::SHANK),
};
const ARM: Limb = Limb {
    lengths: (body::UPPER_ARM, body::FOREARM),
};

impl Limb {
    /// The same limb walked from its far end (a standing leg is built from the foot up).
    fn reversed(self) -> Limb {
        Limb {
            lengths: (self.lengths.1, self.lengths.0),
        }
    }

    /// Forward kinematics: root, middle joint and end, each bone along its direction.
    fn along(self, root: V3, first: V3, second: V3) -> [V3; 3] {
        let middle = root.plus(first.scale(self.lengths.0));
        [root, middle, middle.plus(second.scale(self.lengths.1))]
    }

    /// Inverse kinematics: root, middle joint and end for an end reaching `target` (pulled
    /// in to `slack` short of full reach when too far), the middle joint bending towards
    /// `pole`.
    fn reaching(self, root: V3, target: V3, pole: V3, slack: f32) -> [V3; 3] {
        let (a_len, b_len) = self.lengths;
        let d = target.minus(root);
        let reach = a_len + b_len - slack;
        let end = if d.len() > reach {
            root.plus(d.norm().scale(reach))
        } else {
            target
        };
        let dist = end.minus(root).len().max(1.0);
        let dir = end.minus(root).norm();
        // Distance along root→end to the middle joint's foot point, and its offset from it.
        let a = (a_len * a_len - b_len * b_len + dist * dist) / (2.0 * dist);
        let h = (a_len * a_len - a * a).max(0.0).sqrt();
        let side = pole.minus(dir.scale(pole.dot(dir))).norm();
        [root, root.plus(dir.scale(a)).plus(side.scale(h)), end]
    }
}

/// A leg hanging from the hip by its angles (seated legs, a swinging leg).
fn hanging_leg(
    hip: V3,
    hip_flex: f32,
    hip_abd: f32,
    knee_flex: f32,
    ankle_df: f32,
    side: f32,
) -> LegPoints {
    let shank = tilted(false, hip_flex - knee_flex, side * hip_abd);
    let [hip, knee, ankle] = LEG.along(hip, tilted(false, hip_flex, side * hip_abd), shank);
    // Sagittal angle of the shank from straight down, forward positive.
    let theta = shank.x.atan2(-shank.y);
    LegPoints {
        hip,
        knee,
        foot: Foot::below_ankle(ankle, theta + rad(ankle_df), side),
    }
}

/// A leg whose foot stands on its placement; the knee points forward (and in by `knee_in`).
/// A placement out of reach pulls the foot towards the hip rather than stretching a bone.
fn planted_leg(hip: V3, mut foot: Foot, knee_in: f32, side: f32) -> LegPoints {
    let pole = V3::new(1.0, 0.0, -side * rad(knee_in).tan());
    let [hip, knee, ankle] = LEG.reaching(hip, foot.ankle, pole, 0.05);
    let shift = ankle.minus(foot.ankle);
    foot.map_points(|p| p.plus(shift));
    LegPoints { hip, knee, foot }
}

fn lerp_leg(a: LegPoints, b: LegPoints, t: f32) -> LegPoints {
    if t <= 0.0 {
        return a;
    }
    if t >= 1.0 {
        return b;
    }
    let f = |x: V3, y: V3| x.lerp(y, t);
    let mut foot = b.foot;
    foot.ankle = f(a.foot.ankle, b.foot.ankle);
    foot.heel = f(a.foot.heel, b.foot.heel);
    foot.ball = f(a.foot.ball, b.foot.ball);
    foot.toe_tip = f(a.foot.toe_tip, b.foot.toe_tip);
    foot.big_toe_tip = f(a.foot.big_toe_tip, b.foot.big_toe_tip);
    foot.toe_knuckle = f(a.foot.toe_knuckle, b.foot.toe_knuckle);
    foot.big_toe_knuckle = f(a.foot.big_toe_knuckle, b.foot.big_toe_knuckle);
    foot.forward = f(a.foot.forward, b.foot.forward).norm();
    foot.up = f(a.foot.up, b.foot.up).norm();
    LegPoints {
        hip: f(a.hip, b.hip),
        knee: f(a.knee, b.knee),
        foot,
    }
}

/// An arm reaching for `target`, elbow bending down and out.
fn arm_to(shoulder: V3, target: V3, side: f32) -> [V3; 3] {
    ARM.reaching(shoulder, target, V3::new(-0.3, -1.0, side * 0.6), 0.5)
}

fn arm_free(shoulder: V3, flex: f32, elbow: f32, side: f32) -> [V3; 3] {
    ARM.along(
        shoulder,
        tilted(false, flex, side * 8.0),
        tilted(false, flex + elbow, side * 8.0),
    )
}

/// The other leg, hanging from its hip or standing on its placement.
fn other_leg(_motion: &Motion, pose: &Pose, pelvis: V3) -> LegPoints {
    let c = |k: Channel| ch(pose, k);
    let hw = body::HIP_HALF;
    let other_hip = pelvis.minus(V3::new(0.0, 0.0, hw));
    let hanging = hanging_leg(
        other_hip,
        c(Channel::OHipFlex),
        c(Channel::OHipAbd),
        c(Channel::OKneeFlex),
        c(Channel::OAnkleDf),
        -1.0,
    );
    let other_foot = planted_foot(
        c(Channel::OFootX),
        c(Channel::OFootY),
        -hw,
        c(Channel::OHeelLift),
        c(Channel::OAnkleInv),
        -1.0,
    );
    let planted = planted_leg(other_hip, other_foot, 0.0, -1.0);
    let mut other = lerp_leg(hanging, planted, c(Channel::OPlanted));
    set_toes(&mut other.foot, c(Channel::OToeExt), c(Channel::OToeExt));
    let under = support(c(Channel::OPlanted), c(Channel::OFootY));
    other.foot.keep_ball_on(under);
    other
        .foot
        .rest_toes_on(under, c(Channel::OToeExt), c(Channel::OToeExt));
    other
}

/// What a foot's toes rest on: its placement when it stands there, else the floor.
fn support(planted: f32, foot_y: f32) -> f32 {
    if planted >= 0.5 {
        foot_y
    } else {
        0.0
    }
}

/// The working ankle resting across the other knee (seated fascia stretch): the hip turns
/// out so the knee falls to the side (away from the side camera, which sees the shin
/// cross towards the other knee), and the foot lies on the other thigh, shown in profile
/// so the toes can be seen pulled back.
fn crossed_leg(hip: V3, other_knee: V3, ankle_df: f32) -> LegPoints {
    let ankle = other_knee.plus(V3::new(-3.0, 15.0, 0.0));
    let [hip, knee, _] = LEG.reaching(hip, ankle, V3::new(0.0, 0.25, 1.0), 0.01);
    LegPoints {
        hip,
        knee,
        foot: Foot::below_ankle(ankle, rad(ankle_df), 1.0),
    }
}

/// Builds the figure for a pose.
pub fn pose_figure(motion: &Motion, pose: &Pose) -> Skeleton {
    let c = |k: Channel| ch(pose, k);
    let hw = body::HIP_HALF;
    let (working, pelvis) = match motion.stance {
        Stance::Standing => {
            let mut foot = planted_foot(
                c(Channel::FootX),
                c(Channel::FootY),
                hw,
                c(Channel::HeelLift),
                c(Channel::AnkleInv),
                1.0,
            );
            foot.arch_dome = c(Channel::ArchDome);
            set_toes(&mut foot, c(Channel::ToeExt), c(Channel::BigToeExt));
            foot.rest_toes_on(c(Channel::FootY), c(Channel::ToeExt), c(Channel::BigToeExt));
            let shank_sag = c(Channel::HeelLift) + c(Channel::AnkleDf);
            let shank = tilted(true, shank_sag, c(Channel::AnkleInv) - c(Channel::KneeIn));
            let thigh = tilted(true, shank_sag - c(Channel::KneeFlex), c(Channel::KneeIn));
            let [_, knee, hip] = LEG.reversed().along(foot.ankle, shank, thigh);
            (
                LegPoints { hip, knee, foot },
                hip.minus(V3::new(0.0, 0.0, hw)),
            )
        }
        Stance::Seated => {
            let pelvis = V3::new(0.0, c(Channel::SeatY) + 9.0, 0.0);
            let hip = pelvis.plus(V3::new(0.0, 0.0, hw));
            let mut hanging = hanging_leg(
                hip,
                c(Channel::HipFlex),
                c(Channel::HipAbd),
                c(Channel::KneeFlex),
                c(Channel::AnkleDf),
                1.0,
            );
            // A free foot turns about the shin when it inverts or everts (tracing letters).
            let axis = hanging.knee.minus(hanging.foot.ankle).norm();
            let turn = |v: V3| rotate(v, axis, rad(-c(Channel::AnkleInv)));
            let f = &mut hanging.foot;
            let ankle = f.ankle;
            f.map_points(|p| ankle.plus(turn(p.minus(ankle))));
            f.forward = turn(f.forward);
            f.up = turn(f.up);
            f.lateral = turn(f.lateral);
            let foot = planted_foot(
                c(Channel::FootX),
                c(Channel::FootY),
                hw,
                c(Channel::HeelLift),
                c(Channel::AnkleInv),
                1.0,
            );
            let planted = planted_leg(hip, foot, c(Channel::KneeIn), 1.0);
            let mut leg = lerp_leg(hanging, planted, c(Channel::Planted));
            let other_knee = other_leg(motion, pose, pelvis).knee;
            leg = lerp_leg(
                leg,
                crossed_leg(hip, other_knee, c(Channel::AnkleDf)),
                c(Channel::Cross),
            );
            leg.foot.arch_dome = c(Channel::ArchDome);
            set_toes(&mut leg.foot, c(Channel::ToeExt), c(Channel::BigToeExt));
            let under = support(c(Channel::Planted), c(Channel::FootY));
            leg.foot.keep_ball_on(under);
            leg.foot
                .rest_toes_on(under, c(Channel::ToeExt), c(Channel::BigToeExt));
            (leg, pelvis)
        }
    };
    let other = other_leg(motion, pose, pelvis);

    let trunk = tilted(true, c(Channel::TrunkLean), c(Channel::TrunkSide));
    let neck = pelvis.plus(trunk.scale(body::TRUNK));
    let head = neck.plus(trunk.scale(body::NECK + body::HEAD_RADIUS));
    let shoulder_w = neck
        .minus(trunk.scale(3.0))
        .plus(V3::new(0.0, 0.0, body::SHOULDER_HALF));
    let shoulder_o = neck
        .minus(trunk.scale(3.0))
        .minus(V3::new(0.0, 0.0, body::SHOULDER_HALF));
    let prop = |k: PropKind| motion.props.iter().find(|p| p.kind == k);
    let free = |s: V3, side: f32| arm_free(s, c(Channel::ArmFlex), c(Channel::ElbowFlex), side);
    let (arm_working, arm_other) = match motion.hands {
        Hands::Free => (free(shoulder_w, 1.0), free(shoulder_o, -1.0)),
        Hands::Wall => match prop(PropKind::Wall) {
            Some(w) => {
                let y = (shoulder_w.y - 8.0).min(150.0);
                (
                    arm_to(shoulder_w, V3::new(w.x - 1.5, y, 20.0), 1.0),
                    arm_to(shoulder_o, V3::new(w.x - 1.5, y, -20.0), -1.0),
                )
            }
            None => (free(shoulder_w, 1.0), free(shoulder_o, -1.0)),
        },
        Hands::Rail => match prop(PropKind::Rail) {
            Some(r) => (
                free(shoulder_w, 1.0),
                arm_to(shoulder_o, V3::new(r.x + 4.0, r.y + 92.0, -30.0), -1.0),
            ),
            None => (free(shoulder_w, 1.0), free(shoulder_o, -1.0)),
        },
        Hands::Knees => (
            arm_to(shoulder_w, working.knee.plus(V3::new(-2.0, 6.0, 2.0)), 1.0),
            arm_to(shoulder_o, other.knee.plus(V3::new(-2.0, 6.0, -2.0)), -1.0),
        ),
        Hands::Toes => {
            let rest = working.knee.plus(V3::new(-6.0, 8.0, 6.0));
            let grip = working.foot.toe_tip.plus(working.foot.up.scale(2.5));
            let t = c(Channel::HandOnToes);
            (
                arm_to(shoulder_w, rest.lerp(grip, t), 1.0),
                arm_to(
                    shoulder_o,
                    working.knee.plus(V3::new(-4.0, 7.0, -4.0)),
                    -1.0,
                ),
            )
        }
    };
    Skeleton {
        working,
        other,
        pelvis,
        neck,
        head,
        arm_working,
        arm_other,
        eyes_closed: c(Channel::EyesClosed) > 0.5,
        band_y: c(Channel::BandY),
        hand_on_toes: c(Channel::HandOnToes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use talus_core::catalog::clips::{Camera, Framing, Leg};

    fn standing() -> Motion {
        Motion {
            asset_id: "t".into(),
            camera: Camera::Side,
            shown_leg: Leg::Right,
            stance: Stance::Standing,
            hands: Hands::Free,
            framing: Framing {
                center_x: 0.0,
                center_y: 90.0,
                span: 220.0,
            },
            props: vec![],
            base: Pose::new(),
            segments: vec![],
        }
    }

    #[test]
    fn a_flat_foot_keeps_its_heel_on_the_floor_while_the_knee_travels() {
        let m = standing();
        for df in [0.0, 15.0, 35.0] {
            let pose: Pose = [(Channel::AnkleDf, df), (Channel::KneeFlex, df)]
                .into_iter()
                .collect();
            let s = pose_figure(&m, &pose);
            assert!(s.working.foot.heel.y.abs() < 1e-3);
            assert!(s.working.foot.ball.y.abs() < 1e-3);
            // The knee travels forward over the toes as the ankle bends.
            let over = s.working.knee.x - s.working.foot.ankle.x;
            assert!(
                (over - body::SHANK * df.to_radians().sin()).abs() < 0.5,
                "{df}: {over}"
            );
        }
    }

    #[test]
    fn a_heel_raise_pivots_about_the_ball() {
        let m = standing();
        let pose: Pose = [(Channel::HeelLift, 30.0), (Channel::AnkleDf, -30.0)]
            .into_iter()
            .collect();
        let s = pose_figure(&m, &pose);
        assert!(s.working.foot.ball.y.abs() < 1e-3);
        assert!(s.working.foot.heel.y > 8.0);
        // The shank stays upright when the ankle extends as far as the foot pitches.
        assert!((s.working.knee.x - s.working.foot.ankle.x).abs() < 0.5);
    }

    #[test]
    fn toes_lie_on_the_floor_under_a_raised_heel_and_claw_when_curled() {
        let m = standing();
        let raised: Pose = [(Channel::HeelLift, 30.0), (Channel::AnkleDf, -30.0)]
            .into_iter()
            .collect();
        let f = pose_figure(&m, &raised).working.foot;
        // Without the floor the toes would point 3 cm into it along the pitched foot.
        for tip in [f.toe_tip, f.big_toe_tip] {
            assert!(tip.y.abs() < 1e-3, "{tip:?}");
            assert!(tip.x > f.ball.x + 5.0, "{tip:?}");
        }
        let curled: Pose = [(Channel::ToeExt, -25.0), (Channel::BigToeExt, -25.0)]
            .into_iter()
            .collect();
        let f = pose_figure(&m, &curled).working.foot;
        for (tip, knuckle) in [
            (f.toe_tip, f.toe_knuckle),
            (f.big_toe_tip, f.big_toe_knuckle),
        ] {
            assert!(tip.y.abs() < 1e-3, "{tip:?}");
            assert!(knuckle.y > 1.0, "the knuckle rises: {knuckle:?}");
        }
    }

    #[test]
    fn a_free_foot_near_the_floor_turns_at_the_ankle_instead_of_sinking() {
        let mut m = standing();
        // Hanging straight down from a hip at standing height, toes pointed: the ball
        // would go under the floor.
        m.base = [(Channel::OAnkleDf, -40.0)].into_iter().collect();
        let s = pose_figure(&m, &m.base.clone());
        let f = s.other.foot;
        assert!(f.ball.y >= -1e-3, "{:?}", f.ball);
        assert!(f.heel.y >= -1e-3, "{:?}", f.heel);
        let shank = f.ankle.minus(s.other.knee).len();
        assert!((shank - body::SHANK).abs() < 0.1, "{shank}");
    }

    #[test]
    fn a_planted_other_leg_keeps_its_bone_lengths() {
        let mut m = standing();
        m.base = [
            (Channel::OPlanted, 1.0),
            (Channel::OFootX, -25.0),
            (Channel::OHeelLift, 20.0),
            (Channel::KneeFlex, 35.0),
            (Channel::AnkleDf, 20.0),
        ]
        .into_iter()
        .collect();
        let s = pose_figure(&m, &m.base.clone());
        let thigh = s.other.knee.minus(s.other.hip).len();
        let shank = s.other.foot.ankle.minus(s.other.knee).len();
        assert!(
            (thigh - body::THIGH).abs() < 0.1 && (shank - body::SHANK).abs() < 0.1,
            "{thigh} {shank}"
        );
        assert!(s.other.foot.ball.y.abs() < 1e-3);
        // Out of reach: the foot comes towards the hip; no bone stretches.
        m.base.insert(Channel::OFootX, -60.0);
        let s = pose_figure(&m, &m.base.clone());
        let shank = s.other.foot.ankle.minus(s.other.knee).len();
        assert!((shank - body::SHANK).abs() < 0.1, "{shank}");
    }
}
