//! A softmax classifier over sentence embeddings: one linear layer trained with candle-nn
//! (cross-entropy, AdamW, full batch). Starting from zero weights and a seeded split makes a
//! training run reproducible; the problem is convex, so zero is a fine start.

use candle_core::{DType, Device, Tensor, Var};
use candle_nn::{AdamW, Optimizer, ParamsAdamW};

pub struct Classifier {
    pub classes: Vec<String>,
    pub dimension: usize,
    weight: Tensor,
    bias: Tensor,
}

pub struct Report {
    pub classifier: Classifier,
    pub trained: usize,
    pub tested: usize,
    pub train_accuracy: f64,
    /// `None` when nothing was held out.
    pub test_accuracy: Option<f64>,
}

/// A small deterministic generator for the split (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

fn tensor(rows: &[&Vec<f32>], dim: usize) -> candle_core::Result<Tensor> {
    let flat: Vec<f32> = rows.iter().flat_map(|r| r.iter().copied()).collect();
    Tensor::from_vec(flat, (rows.len(), dim), &Device::Cpu)
}

impl Classifier {
    fn logits(&self, x: &Tensor) -> candle_core::Result<Tensor> {
        x.matmul(&self.weight.t()?)?.broadcast_add(&self.bias)
    }

    fn accuracy(&self, rows: &[&Vec<f32>], labels: &[u32]) -> candle_core::Result<f64> {
        if rows.is_empty() {
            return Ok(0.0);
        }
        let predicted: Vec<u32> = self.logits(&tensor(rows, self.dimension)?)?.argmax(1)?.to_vec1()?;
        let right = predicted.iter().zip(labels).filter(|(a, b)| a == b).count();
        Ok(right as f64 / rows.len() as f64)
    }

    /// The most likely class of each vector, with its probability.
    pub fn predict(&self, vectors: &[Vec<f32>]) -> candle_core::Result<Vec<(String, f64)>> {
        if let Some(v) = vectors.iter().find(|v| v.len() != self.dimension) {
            candle_core::bail!(
                "a vector of {} values for a classifier of dimension {}",
                v.len(),
                self.dimension
            );
        }
        let rows: Vec<&Vec<f32>> = vectors.iter().collect();
        let probs = candle_nn::ops::softmax(&self.logits(&tensor(&rows, self.dimension)?)?, 1)?;
        let probs: Vec<Vec<f32>> = probs.to_vec2()?;
        Ok(probs
            .into_iter()
            .map(|p| {
                let (i, best) = p
                    .iter()
                    .enumerate()
                    .fold((0, f32::MIN), |acc, (i, &x)| if x > acc.1 { (i, x) } else { acc });
                (self.classes[i].clone(), f64::from(best))
            })
            .collect())
    }
}

/// Trains on `data` (vector, label), holding out `holdout` of each class (seeded).
pub fn fit(data: Vec<(Vec<f32>, String)>, holdout: f64, epochs: usize, seed: u64) -> Result<Report, String> {
    let mut classes: Vec<String> = data.iter().map(|(_, l)| l.clone()).collect();
    classes.sort();
    classes.dedup();
    if classes.len() < 2 {
        return Err(format!("training needs labelled documents of at least two classes; found {classes:?}"));
    }
    let dimension = data[0].0.len();
    if data.iter().any(|(v, _)| v.len() != dimension) {
        return Err("the collection's vectors have different dimensions (mixed embedding models?)".into());
    }
    // Stratified split: every class keeps at least one training example.
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let (mut train, mut test) = (Vec::new(), Vec::new());
    for (c, class) in classes.iter().enumerate() {
        let mut idx: Vec<usize> =
            data.iter().enumerate().filter(|(_, (_, l))| l == class).map(|(i, _)| i).collect();
        rng.shuffle(&mut idx);
        let held = ((idx.len() as f64 * holdout).round() as usize).min(idx.len() - 1);
        for (n, i) in idx.into_iter().enumerate() {
            if n < held { test.push((i, c as u32)) } else { train.push((i, c as u32)) }
        }
    }
    let run = || -> candle_core::Result<Report> {
        let rows: Vec<&Vec<f32>> = train.iter().map(|(i, _)| &data[*i].0).collect();
        let labels: Vec<u32> = train.iter().map(|(_, c)| *c).collect();
        let x = tensor(&rows, dimension)?;
        let y = Tensor::new(labels.as_slice(), &Device::Cpu)?;
        let weight = Var::zeros((classes.len(), dimension), DType::F32, &Device::Cpu)?;
        let bias = Var::zeros(classes.len(), DType::F32, &Device::Cpu)?;
        let params = ParamsAdamW { lr: 0.05, weight_decay: 1e-4, ..Default::default() };
        let mut opt = AdamW::new(vec![weight.clone(), bias.clone()], params)?;
        for _ in 0..epochs {
            let logits = x.matmul(&weight.as_tensor().t()?)?.broadcast_add(bias.as_tensor())?;
            let loss = candle_nn::loss::cross_entropy(&logits, &y)?;
            opt.backward_step(&loss)?;
        }
        let classifier = Classifier {
            classes: classes.clone(),
            dimension,
            weight: weight.as_tensor().detach(),
            bias: bias.as_tensor().detach(),
        };
        let train_accuracy = classifier.accuracy(&rows, &labels)?;
        let test_rows: Vec<&Vec<f32>> = test.iter().map(|(i, _)| &data[*i].0).collect();
        let test_labels: Vec<u32> = test.iter().map(|(_, c)| *c).collect();
        let test_accuracy =
            if test.is_empty() { None } else { Some(classifier.accuracy(&test_rows, &test_labels)?) };
        Ok(Report { classifier, trained: train.len(), tested: test.len(), train_accuracy, test_accuracy })
    };
    run().map_err(|e| format!("training failed: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separable_classes_are_learnt_and_held_out_ones_predicted() {
        let mut data = Vec::new();
        for i in 0..20 {
            let t = i as f32 / 20.0;
            data.push((vec![1.0, t, 0.0], "a".to_string()));
            data.push((vec![0.0, t, 1.0], "b".to_string()));
        }
        let r = fit(data, 0.25, 200, 1).unwrap();
        assert_eq!((r.trained, r.tested), (30, 10));
        assert_eq!(r.train_accuracy, 1.0);
        assert_eq!(r.test_accuracy, Some(1.0));
        let p = r.classifier.predict(&[vec![0.9, 0.5, 0.1], vec![0.1, 0.5, 0.9]]).unwrap();
        assert_eq!((p[0].0.as_str(), p[1].0.as_str()), ("a", "b"));
        assert!(p[0].1 > 0.5);
        assert!(fit(vec![(vec![1.0], "x".into())], 0.0, 1, 0).is_err());
    }
}
