"""Command line: train, evaluate and use MNIST models without the app.

    python -m engine train --hidden 256,128 --activation relu --optimizer sgd \\
        --lr 0.05 --momentum 0.9 --batch-size 128 --epochs 10 --save model.npz
    python -m engine evaluate model.npz
    python -m engine predict model.npz digit.png

`train` prints one JSON line per epoch; the others print one JSON object.
Errors go to stderr as one line, with exit status 2.
"""

import argparse
import json
import sys

import numpy as np

from . import activations, losses, optimizers
from .build import build_mlp, parse_hidden
from .metrics import confusion_matrix
from .mnist import SCALINGS, load_mnist, scale_pixels
from .model import LambdaCallback, Trainer, TrainingDiverged
from .saving import load_model, save_model


def hidden_sizes(text):
    """--hidden: '256,128' -> [256, 128]; '' or 'none' -> [] (an argparse error otherwise)."""
    try:
        return parse_hidden(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"hidden layers: {err}") from None


def make_optimizer(args):
    if args.optimizer in ("sgd", "momentum"):
        momentum = {} if args.momentum is None else {"momentum": args.momentum}
        return optimizers.get(args.optimizer, lr=args.lr, nesterov=args.nesterov, **momentum)
    return optimizers.get(args.optimizer, lr=args.lr)


def train(args):
    (x_train, y_train), (x_test, y_test) = load_mnist()
    if args.train_size:
        x_train, y_train = x_train[:args.train_size], y_train[:args.train_size]
    X, X_test = scale_pixels(x_train), scale_pixels(x_test)
    output = args.output or ("softmax" if args.loss == "cross_entropy" else "sigmoid")
    model = build_mlp([784, *args.hidden, 10], args.activation, output, init=args.init,
                      seed=args.seed, input_scaling=None if args.scaling == "unit" else args.scaling)
    augment = None
    if args.augment:
        from .augment import augment_batch
        rng = np.random.default_rng(args.seed)
        augment = lambda xb: augment_batch(xb, rng)  # noqa: E731

    def end_of_epoch(trainer, logs):
        print(json.dumps(_rounded({**logs, "lr": trainer.optimizer.lr})), flush=True)
        trainer.optimizer.lr *= args.lr_decay

    trainer = Trainer(model, X, y_train, epochs=args.epochs, batch_size=args.batch_size,
                      optimizer=make_optimizer(args), loss=args.loss, seed=args.seed,
                      validation_data=(X_test, y_test), augment=augment,
                      callbacks=[LambdaCallback(on_epoch_end=end_of_epoch)])
    trainer.run()
    if args.save:
        save_model(model, args.save)


def evaluate(args):
    model = load_model(args.model)
    (_, _), (x_test, y_test) = load_mnist()
    X = scale_pixels(x_test)
    loss, acc = model.evaluate(X, y_test)
    predicted = model.predict_classes(X)
    print(json.dumps({"loss": round(loss, 6), "accuracy": round(acc, 6),
                      "confusion_matrix": confusion_matrix(y_test, predicted, 10).tolist()}))


def predict(args):
    from PIL import Image, UnidentifiedImageError

    from .preprocess import canvas_to_mnist
    model = load_model(args.model)
    try:
        image = np.asarray(Image.open(args.image).convert("L"), dtype=np.uint8)
    except (OSError, UnidentifiedImageError) as err:
        raise ValueError(f"cannot read image {args.image!r}: {err}") from None
    if image.mean() > 127:  # dark ink on a light background: make it MNIST's white on black
        image = 255 - image
    pixels = canvas_to_mnist(image)
    if pixels is None:
        raise ValueError(f"{args.image!r} looks empty: no digit found")
    probs = model.predict(pixels.reshape(1, 784))[0]
    print(json.dumps({"prediction": int(probs.argmax()),
                      "probabilities": [round(float(p), 6) for p in probs]}))


def _rounded(logs):
    return {k: round(v, 6) if isinstance(v, float) else v for k, v in logs.items()}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m engine", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    t = sub.add_parser("train", help="train an MLP on MNIST, one JSON line per epoch")
    t.add_argument("--hidden", type=hidden_sizes, default=[128],
                   help="hidden layer sizes, e.g. 256,128, or none (default 128)")
    t.add_argument("--activation", default="relu", choices=list(activations.ACTIVATIONS),
                   help="hidden activation (default relu)")
    t.add_argument("--output", choices=["softmax", "sigmoid", "linear"],
                   help="output activation (default: softmax for cross_entropy, else sigmoid)")
    t.add_argument("--loss", default="cross_entropy", choices=list(losses.LOSSES))
    t.add_argument("--optimizer", default="adam", choices=list(optimizers.OPTIMIZERS))
    t.add_argument("--lr", type=float, default=0.001, help="learning rate (default 0.001)")
    t.add_argument("--lr-decay", type=float, default=1.0,
                   help="multiply the learning rate by this after each epoch (default 1)")
    t.add_argument("--momentum", type=float, default=None,
                   help="SGD momentum (default 0 for sgd, 0.9 for momentum)")
    t.add_argument("--nesterov", action="store_true", help="SGD with Nesterov momentum")
    t.add_argument("--batch-size", type=int, default=128)
    t.add_argument("--epochs", type=int, default=5)
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--init", default="glorot", choices=["normal", "glorot", "he"])
    t.add_argument("--train-size", type=int, default=0,
                   help="use only the first N training images (default: all 60000)")
    t.add_argument("--scaling", default="unit", choices=list(SCALINGS),
                   help="input scaling the model applies to pixels in [0, 1]")
    t.add_argument("--augment", action="store_true",
                   help="random small rotations, scalings, shifts and stroke widths")
    t.add_argument("--save", metavar="PATH", help="write the trained model to PATH (.npz)")
    t.set_defaults(run=train)

    e = sub.add_parser("evaluate", help="loss, accuracy and confusion matrix on the MNIST test set")
    e.add_argument("model")
    e.set_defaults(run=evaluate)

    p = sub.add_parser("predict", help="read one digit image (PNG, JPEG ...)")
    p.add_argument("model")
    p.add_argument("image")
    p.set_defaults(run=predict)

    args = parser.parse_args(argv)
    try:
        args.run(args)
    except (ValueError, TrainingDiverged) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
